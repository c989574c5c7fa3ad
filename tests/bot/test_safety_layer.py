"""The deterministic safety layer on its own: emergencies and crises in Finnish and Swedish,
inflected, misspelled and colloquial, and everyday messages that must not trigger it."""

from pathlib import Path

import pytest
import yaml

from bot.components.lexicon import fold, token_pattern
from bot.components.safety_rules import SafetyRules

ROOT = Path(__file__).resolve().parents[2]
CASES = yaml.safe_load(
    (ROOT / "tests" / "lexicon" / "safety_cases.yml").read_text(encoding="utf-8")
)
rules = SafetyRules()


def cases(group: str) -> list[tuple[str, str]]:
    return [(language, text) for language in ("fi", "sv") for text in CASES[group][language]]


@pytest.mark.parametrize(("language", "text"), cases("emergency"))
def test_emergency(language: str, text: str) -> None:
    assert rules.assess(text).urgency == "emergency"


@pytest.mark.parametrize(("language", "text"), cases("crisis"))
def test_crisis(language: str, text: str) -> None:
    verdict = rules.assess(text)
    assert verdict.urgency == "crisis"
    assert verdict.crisis_kind in ("mental", "violence")


@pytest.mark.parametrize(("language", "text"), cases("none"))
def test_everyday_messages_do_not_trigger(language: str, text: str) -> None:
    verdict = rules.assess(text)
    assert verdict.urgency == "none", [hit.term for hit in verdict.hits]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("mieheni lyö minua", "violence"),
        ("min man slår mig", "violence"),
        ("haluan kuolla", "mental"),
    ],
)
def test_crisis_kind(text: str, kind: str) -> None:
    assert rules.assess(text).crisis_kind == kind


def test_violence_happening_now_is_an_emergency() -> None:
    assert rules.assess("mieheni lyö minua nyt").urgency == "emergency"
    assert rules.assess("min man slår mig just nu").urgency == "emergency"


def test_folding_keeps_offsets() -> None:
    text = "ISÄNI EI HENGITÄ"
    assert len(fold(text)) == len(text)
    hit = rules.assess(text).hits[0]
    assert text[hit.start : hit.end] == hit.text


def test_patterns() -> None:
    assert token_pattern("ei ? hengit*") == [
        {"LOWER": "ei"},
        {"OP": "?"},
        {"LOWER": {"REGEX": "^hengit"}},
    ]
    with pytest.raises(ValueError):
        token_pattern("?")
