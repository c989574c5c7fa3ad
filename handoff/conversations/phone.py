"""Finding a Finnish phone number in a resident's message."""

import re

# +358 or 0, then 6 to 11 more digits (spaces and hyphens between them); not part of a longer
# word, so that an identity code such as 010190-123A is not taken for a number.
PHONE_PATTERN = re.compile(r"(?<![\w+])(?:\+358|00358|0)(?:[ -]?\d){6,11}(?!\w)")


def compact_phone_number(number: str) -> str:
    """A phone number as it is kept: digits only, a leading + kept (040 123-4567 → 0401234567)."""
    return re.sub(r"[ -]", "", number.strip())


def find_phone_number(text: str) -> str | None:
    """The first phone number in `text`, digits only (a leading + kept), or None."""
    match = PHONE_PATTERN.search(text)
    if match is None:
        return None
    return compact_phone_number(match.group(0))


def is_phone_number(text: str) -> bool:
    """True when `text` is one phone number and nothing else."""
    return PHONE_PATTERN.fullmatch(text.strip()) is not None
