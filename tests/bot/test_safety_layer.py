"""The curated safety terms on their own (the model adding nothing): emergencies and crises in
Finnish and Swedish, inflected, misspelled and colloquial, everyday messages that must not trigger
them, and their time and reporting context (bot/safety/)."""

from pathlib import Path

import pytest
import yaml

from bot.components.lexicon import Lexicon, fold, token_pattern
from bot.safety.clauses import clauses
from bot.safety.decision import ModelReading, Thresholds, Verdict, decide

ROOT = Path(__file__).resolve().parents[2]
CASES = yaml.safe_load(
    (ROOT / "tests" / "lexicon" / "safety_cases.yml").read_text(encoding="utf-8")
)
LEXICON = Lexicon.from_file("safety.yml")
# A model that says nothing about danger: what the curated terms decide alone.
NEUTRAL = ModelReading(intent="out_of_scope", confidence=1.0, ranking={"out_of_scope": 1.0})
SETTINGS = yaml.safe_load((ROOT / "bot" / "config.yml").read_text(encoding="utf-8"))
LAYER = next(c for c in SETTINGS["pipeline"] if c["name"].endswith("SafetyLayer"))
THRESHOLDS = Thresholds.from_settings(LAYER)


def assess(text: str) -> Verdict:
    return decide(text=text, found=LEXICON.categories(text), model=NEUTRAL, thresholds=THRESHOLDS)


def cases(group: str) -> list[tuple[str, str]]:
    return [(language, text) for language in ("fi", "sv") for text in CASES[group][language]]


@pytest.mark.parametrize(("language", "text"), cases("emergency"))
def test_emergency(language: str, text: str) -> None:
    """The 112 answer: the emergency answer, or for violence happening now (issue 15) the crisis
    answer that gives 112 first and then Nollalinja."""
    verdict = assess(text)
    assert verdict.urgency == "emergency" or verdict.crisis_kind == "violence_now", verdict


@pytest.mark.parametrize(("language", "text"), cases("crisis"))
def test_crisis(language: str, text: str) -> None:
    verdict = assess(text)
    assert verdict.urgency == "crisis"
    assert verdict.crisis_kind in ("mental", "violence", "violence_now")


@pytest.mark.parametrize(("language", "text"), cases("none"))
def test_everyday_messages_do_not_trigger(language: str, text: str) -> None:
    verdict = assess(text)
    assert verdict.urgency == "none", verdict


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("mieheni lyö minua", "violence"),
        ("min man slår mig", "violence"),
        ("haluan kuolla", "mental"),
    ],
)
def test_crisis_kind(text: str, kind: str) -> None:
    assert assess(text).crisis_kind == kind


def test_violence_happening_now_is_a_crisis_with_112_first() -> None:
    # issue 15: Nollalinja and 112 first (the crisis answer of kind violence_now)
    for text in (
        "mieheni lyö minua nyt",
        "min man slår mig just nu",
        "se tulee kotiin tänä iltana ja lyö mua taas",
    ):
        verdict = assess(text)
        assert (verdict.intent, verdict.urgency, verdict.crisis_kind) == (
            "crisis",
            "crisis",
            "violence_now",
        ), text


def test_violence_with_a_weapon_is_an_emergency() -> None:
    verdict = assess("ex lyö mua ja sillä on puukko kädessä")
    assert (verdict.intent, verdict.urgency) == ("emergency", "emergency")


@pytest.mark.parametrize(
    "text",
    [
        "isä sai sydänkohtauksen kaksi vuotta sitten, mikä on maksukatto",
        "pappa hade hjärtinfarkt för tre år sen, vad kostar en ambulansresa",
        "katsoin dokumentin itsemurhista, onko teillä materiaalia nuorille",
        "vi gör ett skolarbete om självmord bland unga",
        "mun ex-mies pahoinpiteli mua viis vuotta sitten, nyt oon onnellinen",
        "en oo itsetuhoinen mut ahdistaa, mihin voi hakeutua",
        "mihin soitan jos epäilen myrkytystä",
    ],
)
def test_past_reported_and_denied_dangers_are_no_present_danger(text: str) -> None:
    if "jos" in text:  # a question of "if": only when the model is sure it is a common question
        model = ModelReading(
            intent="faq", confidence=0.95, ranking={"faq": 0.95}, topic="faq/poison_information"
        )
        verdict = decide(
            text=text, found=LEXICON.categories(text), model=model, thresholds=THRESHOLDS
        )
    else:
        verdict = assess(text)
    assert verdict.urgency == "none", verdict


def test_a_danger_in_the_last_sentence_of_a_long_message_counts() -> None:
    text = (
        "kysyisin kotihoidosta, isä asuu yksin loviisassa ja kotihoito käy kerran päivässä. "
        "mun mielestä se ei riitä. nyt se just kaatui eikä hengitä"
    )
    assert assess(text).urgency == "emergency"


def test_a_past_clause_does_not_hide_a_danger_in_the_next_one() -> None:
    assert assess("isä kuoli viime vuonna ja äiti ei hengitä").urgency == "emergency"


def test_indirect_warning_signs_of_suicide_are_a_crisis() -> None:
    for text in (
        "oon vaan taakka kaikille, ne pärjäis paremmin ilman mua",
        "ja har sparat mina tabletter o skrivit ett brev till syrran ifall",
    ):
        verdict = assess(text)
        assert (verdict.urgency, verdict.crisis_kind) == ("crisis", "mental"), text


def test_clauses_keep_offsets() -> None:
    text = "ISÄNI EI HENGITÄ, apua"
    assert len(fold(text)) == len(text)
    assert [text[c.start : c.end] for c in clauses(text)] == ["ISÄNI EI HENGITÄ", "apua"]


def test_patterns() -> None:
    assert token_pattern("ei ? hengit*") == [
        {"LOWER": "ei"},
        {"OP": "?"},
        {"LOWER": {"REGEX": "^hengit"}},
    ]
    with pytest.raises(ValueError):
        token_pattern("?")
