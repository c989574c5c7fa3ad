"""Language detection: Finnish or Swedish when clear, the conversation's language otherwise."""

import pytest

from handoff.language.detector import LanguageDetection

detection = LanguageDetection()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hei", "fi"),
        ("moi", "fi"),
        ("isäni ei hengitä", "fi"),
        ("isani ei hengita", "fi"),
        ("mä en jaksa enää", "fi"),
        ("hej", "sv"),
        ("tjena", "sv"),
        ("min pappa andas inte", "sv"),
        ("jag orkar inte längre", "sv"),
        ("god morgon", "sv"),
    ],
)
def test_clear_messages_set_the_language(text: str, expected: str) -> None:
    other = "sv" if expected == "fi" else "fi"
    assert detection.detect(text, current=other) == expected


@pytest.mark.parametrize(
    "text",
    [
        "ok",
        "OK!",
        "ja",
        "nej",
        "joo",
        "ja ok",
        "jo jo",
        "skip",
        "112",
        "040 123 4567",
        "👍",
        "hello",
        "?",
    ],
)
@pytest.mark.parametrize("current", ["fi", "sv"])
def test_ambiguous_short_or_english_messages_keep_the_language(text: str, current: str) -> None:
    assert detection.detect(text, current=current) == current  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["Jonna", "Kim", "pekka", "Bertil Lindqvist", "porvoossa"])
@pytest.mark.parametrize("current", ["fi", "sv"])
def test_a_short_answer_to_the_bots_question_keeps_the_language(text: str, current: str) -> None:
    assert detection.detect(text, current=current, answering=True) == current  # type: ignore[arg-type]


def test_a_longer_answer_still_sets_the_language() -> None:
    assert detection.detect("min pappa andas inte", current="fi", answering=True) == "sv"
