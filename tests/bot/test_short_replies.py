"""Whole-message short replies: greetings, farewells, thanks, yes and no, in both languages."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.components.nlu import ShortReplyClassifier
from bot.components.short_replies import ShortReplies, normalise

replies = ShortReplies()


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Hei!", "greet"),
        ("hejsan 👋", "greet"),
        ("Näkemiin.", "goodbye"),
        ("nakemiin", "goodbye"),
        ("ha det bra!!", "goodbye"),
        ("KIITOS", "thank"),
        ("tack så mycket :)", "thank"),
        ("joo", "affirm"),
        ("javisst", "affirm"),
        ("Ei kiitos.", "deny"),
        ("nej tack", "deny"),
    ],
)
def test_short_replies(text: str, intent: str) -> None:
    assert replies.intent(text) == intent


@pytest.mark.parametrize(
    "text",
    [
        "moikka",  # greets and says goodbye in Finnish: left to the model
        "hei, äitini ei pärjää kotona",
        "ei hengitä",
        "kiitos, mutta mikä on päivystysavun numero",
        "nej, han andas inte",
    ],
)
def test_anything_longer_or_ambiguous_is_left_to_the_model(text: str) -> None:
    assert replies.intent(text) is None


def test_normalise_keeps_letters_and_drops_punctuation_and_emoji() -> None:
    assert normalise("  Hej  då!! 😊 ") == "hej da"


def test_the_component_sets_the_intent_and_leaves_other_messages() -> None:
    component = ShortReplyClassifier({})
    short = Message(data={"text": "nou", "intent": {"name": "nlu_fallback", "confidence": 0.5}})
    other = Message(
        data={"text": "tarvitsen apua", "intent": {"name": "concern", "confidence": 0.9}}
    )
    component.process([short, other])
    assert short.get("intent") == {"name": "deny", "confidence": 1.0}
    assert other.get("intent")["name"] == "concern"
