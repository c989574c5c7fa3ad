"""Reading and validating the county configuration file."""

from pathlib import Path

import yaml
from pydantic import ValidationError

from handoff.county.schema import CountyConfig


class CountyConfigError(Exception):
    """The county file is missing, not YAML, or has invalid fields; the message names them."""


def load_county(path: Path) -> CountyConfig:
    """Parse and validate the county file at `path`."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CountyConfigError(f"{path}: cannot read the county file: {error.strerror}") from error
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(error, "problem", None) or str(error)
        raise CountyConfigError(f"{where}: not valid YAML: {problem}") from error
    if not isinstance(raw, dict):
        raise CountyConfigError(f"{path}: expected a mapping at the top level")
    try:
        return CountyConfig.model_validate(raw)
    except ValidationError as error:
        lines = [f"{path}: {error.error_count()} error(s) in the county configuration"]
        for item in error.errors():
            field = ".".join(str(part) for part in item["loc"]) or "(top level)"
            message = item["msg"].removeprefix("Value error, ")
            lines.append(f"  {field}: {message}")
        raise CountyConfigError("\n".join(lines)) from error
