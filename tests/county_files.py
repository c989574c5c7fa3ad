"""County files for tests, derived from the default county configuration."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
EVERY_DAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def live_chat_county(folder: Path) -> Path:
    """The default county with live chat open around the clock (public holidays too), so that a
    test connects a resident to an advisor whatever the time and day it runs."""
    data = yaml.safe_load((ROOT / "county" / "itauusimaa.yml").read_text(encoding="utf-8"))
    data["live_chat"] = {
        "enabled": True,
        "days": {day: "00:00-23:59" for day in EVERY_DAY},
        "open_on_holidays": True,
    }
    path = folder / "county-live-chat.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path
