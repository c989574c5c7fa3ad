"""Urgency only rises; the need form accepts known values and asks with the county's names."""

import asyncio
from typing import Any

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.language import ValidateSlotMappings, higher_urgency
from actions.need_form import ActionAskMunicipality, ValidateNeedForm
from tests.actions.conftest import make_tracker


@pytest.mark.parametrize(
    ("current", "new", "result"),
    [
        ("none", "concern", "concern"),
        ("crisis", "concern", "crisis"),
        ("concern", "emergency", "emergency"),
        (None, None, "none"),
        ("crisis", "bogus", "crisis"),
    ],
)
def test_higher_urgency(current: Any, new: Any, result: str) -> None:
    assert higher_urgency(current, new) == result


def run_urgency(domain: dict, slots: dict, intent: str, entities: list) -> list:
    tracker = make_tracker(slots=slots)
    tracker.latest_message["intent"] = {"name": intent}
    tracker.latest_message["entities"] = entities
    return asyncio.run(ValidateSlotMappings().run(CollectingDispatcher(), tracker, domain))


def test_urgency_rises_with_a_crisis_and_stays(domain: dict) -> None:
    assert SlotSet("urgency", "crisis") in run_urgency(
        domain, {"urgency": "concern", "language": "fi"}, "crisis", []
    )
    events = run_urgency(domain, {"urgency": "crisis", "language": "fi"}, "concern", [])
    assert not [e for e in events if e.get("name") == "urgency"]


def test_safety_entity_raises_urgency_whatever_the_intent(domain: dict) -> None:
    events = run_urgency(
        domain,
        {"urgency": "none", "language": "fi"},
        "greet",
        [{"entity": "urgency", "value": "emergency"}],
    )
    assert SlotSet("urgency", "emergency") in events


def validate(slot: str, value: Any) -> tuple[Any, list[dict]]:
    dispatcher = CollectingDispatcher()
    method = getattr(ValidateNeedForm(), f"validate_{slot}")
    result = method(value, dispatcher, make_tracker(slots={"language": "fi"}), {})
    return result[slot], dispatcher.messages


@pytest.mark.parametrize(
    ("slot", "value"),
    [
        ("municipality", "Porvoo"),
        ("municipality", "unknown"),
        ("service_area", "elderly"),
        ("concerns", "other"),
    ],
)
def test_known_values_are_accepted(slot: str, value: str) -> None:
    assert validate(slot, value) == (value, [])


@pytest.mark.parametrize(
    ("slot", "value"),
    [("municipality", "Helsinki"), ("service_area", "jotain"), ("concerns", "kissa")],
)
def test_unknown_values_ask_to_choose_a_button(slot: str, value: str) -> None:
    result, messages = validate(slot, value)
    assert result is None
    assert messages[0]["response"] == "utter_choose_from_buttons"


@pytest.mark.parametrize(
    ("language", "first", "other"),
    [
        ("fi", "Porvoo", "Muu kunta tai en halua kertoa"),
        ("sv", "Borgå", "En annan kommun eller vill inte säga"),
    ],
)
def test_municipality_buttons_follow_the_county_file(
    domain: dict, language: str, first: str, other: str
) -> None:
    dispatcher = CollectingDispatcher()
    asyncio.run(
        ActionAskMunicipality().run(dispatcher, make_tracker(slots={"language": language}), domain)
    )
    [message] = dispatcher.messages
    assert message["response"] == "utter_ask_municipality"
    titles = [button["title"] for button in message["buttons"]]
    payloads = [button["payload"] for button in message["buttons"]]
    assert titles[0] == first and titles[-1] == other
    assert len(titles) == 8
    assert payloads[0] == '/inform{"municipality": "Porvoo"}'
    assert payloads[-1] == '/inform{"municipality": "unknown"}'
