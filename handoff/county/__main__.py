"""`python -m handoff.county [FILE]`: validate a county file and print its routing table."""

import sys
from pathlib import Path

from handoff.config import get_settings
from handoff.county.loader import CountyConfigError, load_county


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else get_settings().county_file
    try:
        county = load_county(path)
    except CountyConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    municipalities, tasks = len(county.municipalities), len(county.service_tasks)
    print(f"{path}: OK ({municipalities} municipalities, {tasks} service tasks)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
