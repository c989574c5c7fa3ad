"""The SafetyLayer component over the model's prediction: when it overrides and when a confident
FAQ answer is left alone."""

from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa.shared.nlu.training_data.message import Message

from bot.components.nlu import NeedExtractor, SafetyLayer

ROOT = Path(__file__).resolve().parents[2]
CONFIG = yaml.safe_load((ROOT / "bot" / "config.yml").read_text(encoding="utf-8"))
SETTINGS = next(c for c in CONFIG["pipeline"] if c["name"].endswith("SafetyLayer"))
# The settings of bot/config.yml, the one place they are written.
layer = SafetyLayer({k: v for k, v in SETTINGS.items() if k != "name"})


def test_the_layer_refuses_to_run_without_its_settings() -> None:
    with pytest.raises(ValueError, match="sentence_threshold"):
        SafetyLayer({})


def predicted(text: str, intent: str, confidence: float, topic: str | None = None) -> Message:
    data: dict[str, Any] = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": intent, "confidence": confidence}],
    }
    if topic:
        data["response_selector"] = {
            "faq": {"response": {"intent_response_key": topic, "confidence": 0.9}}
        }
    return Message(data=data)


def intent_after(message: Message) -> str:
    return str(layer.process([message])[0].get("intent")["name"])


@pytest.mark.parametrize(
    "text",
    ["mistä saa apua lähisuhdeväkivaltaan", "var får man hjälp om man utsätts för våld i hemmet"],
)
def test_a_confident_question_about_violence_help_keeps_its_faq_answer(text: str) -> None:
    assert intent_after(predicted(text, "faq", 0.9, "faq/violence_helpline")) == "faq"


@pytest.mark.parametrize(
    ("text", "intent", "confidence", "topic", "expected"),
    [
        # the model unsure: the safety answer wins
        ("mistä saa apua lähisuhdeväkivaltaan", "faq", 0.4, "faq/violence_helpline", "crisis"),
        # another topic chosen: the safety answer wins
        ("mistä saa apua lähisuhdeväkivaltaan", "faq", 0.9, "faq/family_counselling", "crisis"),
        # violence happening now gets the crisis answer with 112 first, whatever the model says
        (
            "mies lyö minua nyt, mikä on nollalinjan numero",
            "faq",
            0.9,
            "faq/violence_helpline",
            "crisis",
        ),
        # a mental-health crisis always escalates
        (
            "haluan kuolla, mikä on kriisipuhelimen numero",
            "faq",
            0.9,
            "faq/crisis_helplines",
            "crisis",
        ),
        (
            "jag vill inte leva längre, vad har kristelefonen för nummer",
            "faq",
            0.9,
            "faq/crisis_helplines",
            "crisis",
        ),
    ],
)
def test_safety_overrides(
    text: str, intent: str, confidence: float, topic: str, expected: str
) -> None:
    assert intent_after(predicted(text, intent, confidence, topic)) == expected


@pytest.mark.parametrize(
    "text",
    ["mikä on myrkytystietokeskuksen numero", "vad är numret till giftinformationscentralen"],
)
def test_a_service_name_alone_does_not_escalate(text: str) -> None:
    assert intent_after(predicted(text, "faq", 0.9, "faq/poison_information")) == "faq"


def test_an_unsure_faq_topic_becomes_a_fallback_and_a_sure_one_stays() -> None:
    from bot.components.nlu import UnsureTopicFallback

    gate = UnsureTopicFallback({})
    unsure = predicted("blorp snirf", "faq", 0.9, "faq/veterans")
    unsure.get("response_selector")["faq"]["response"]["confidence"] = 0.12
    assert gate.process([unsure])[0].get("intent")["name"] == "nlu_fallback"
    sure = predicted("veteraanien palvelut", "faq", 0.9, "faq/veterans")
    assert gate.process([sure])[0].get("intent")["name"] == "faq"
    greeting = predicted("hei", "greet", 0.9)
    assert gate.process([greeting])[0].get("intent")["name"] == "greet"


def ranked(text: str, ranking: dict[str, float]) -> Message:
    best = max(ranking, key=lambda name: ranking[name])
    return Message(
        data={
            "text": text,
            "intent": {"name": best, "confidence": ranking[best]},
            "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking.items()],
        }
    )


def test_an_unsure_model_escalates_a_sentence_but_not_a_one_word_answer() -> None:
    sentence = ranked("en tiedä enää mitä teen tämän kanssa", {"concern": 0.45, "crisis": 0.3})
    assert intent_after(sentence) == "crisis"
    one_word = ranked("pojanpoikaani", {"inform": 0.55, "crisis": 0.3})
    assert intent_after(one_word) == "inform"


def test_a_danger_the_model_reads_in_the_past_is_lowered() -> None:
    past = ranked(
        "isä sai sydänkohtauksen kaksi vuotta sitten, mikä on maksukatto",
        {"emergency": 0.6, "faq": 0.35},
    )
    assert intent_after(past) == "faq"


def test_a_sentence_the_model_reads_as_a_danger_counts_in_a_long_message() -> None:
    text = (
        "kysyisin ateriapalvelusta äidille. se asuu porvoossa. nyt se makaa lattialla ihan hiljaa"
    )
    message = ranked(text, {"faq": 0.7, "emergency": 0.2})
    start = text.index("nyt")
    message.set(
        "neuvo_sentences",
        [
            {
                "start": 0,
                "end": 33,
                "label": "faq/meal_service",
                "confidence": 0.9,
                "emergency": 0.0,
                "crisis": 0.0,
            },
            {
                "start": 35,
                "end": 55,
                "label": "inform",
                "confidence": 0.6,
                "emergency": 0.0,
                "crisis": 0.0,
            },
            {
                "start": start,
                "end": len(text),
                "label": "emergency",
                "confidence": 0.8,
                "emergency": 0.8,
                "crisis": 0.1,
            },
        ],
    )
    assert intent_after(message) == "emergency"


def test_a_common_question_gets_its_urgency_beside_the_intent_not_as_an_entity() -> None:
    message = layer.process([ranked("mitkä on aukioloajat", {"faq": 0.95})])[0]
    assert not message.get("entities")
    assert message.get("neuvo_need") == {"urgency": "none"}


def test_a_concern_gets_its_urgency_entity() -> None:
    message = layer.process([ranked("äiti ei pärjää kotona", {"concern": 0.9})])[0]
    assert [(e["entity"], e["value"]) for e in message.get("entities")] == [("urgency", "concern")]


def test_a_common_question_keeps_the_need_aside_but_a_request_to_be_called_is_the_residents() -> (
    None
):
    extractor = NeedExtractor({"area_strong_threshold": 0.6})
    asking = predicted(
        "miten ateriapalvelua haetaan? äiti asuu sipoossa, voisitteko soittaa mulle 040 123 4567",
        "faq",
        0.9,
        "faq/meal_service",
    )
    message = extractor.process([asking])[0]
    assert message.get("neuvo_need")["municipality"] == "Sipoo"
    entities = {e["entity"] for e in message.get("entities") or []}
    assert {"phone", "contact_request"} <= entities
    assert not entities & {"municipality", "concerns", "service_area"}
    # "where do I call at the weekend" names no time to call the resident
    where = predicted(
        "mihin soitan viikonloppuna jos tarvitsen kiireellistä hoitoa",
        "faq",
        0.9,
        "faq/medical_helpline",
    )
    assert not extractor.process([where])[0].get("entities")
