"""Finding Finnish phone numbers in free text."""

import pytest

from handoff.conversations.phone import find_phone_number, is_phone_number


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("soita 040 123 4567 kiitos", "0401234567"),
        ("numero on 0401234567", "0401234567"),
        ("ring +358 40 123 4567", "+358401234567"),
        ("puh. 09-123 4567", "091234567"),
        ("ei numeroa tässä", None),
        ("vuonna 2024 asia alkoi", None),
        ("hetu 010190-123A ei ole numero", None),
    ],
)
def test_find_phone_number(text: str, number: str | None) -> None:
    assert find_phone_number(text) == number


@pytest.mark.parametrize(
    ("text", "ok"),
    [("040 123 4567", True), ("+358401234567", True), ("12", False), ("040 abc", False)],
)
def test_is_phone_number(text: str, ok: bool) -> None:
    assert is_phone_number(text) is ok
