"""The language slot follows the metadata the handoff service sends with each message."""

import asyncio

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.language import ValidateSlotMappings
from tests.actions.conftest import make_tracker


@pytest.mark.parametrize(("current", "sent"), [("fi", "sv"), ("sv", "fi"), ("fi", "fi")])
def test_language_slot_takes_the_language_sent(domain: dict, current: str, sent: str) -> None:
    tracker = make_tracker(slots={"language": current}, metadata={"language": sent})
    events = asyncio.run(ValidateSlotMappings().run(CollectingDispatcher(), tracker, domain))
    assert events == [SlotSet("language", sent)]


@pytest.mark.parametrize("metadata", [{}, {"language": "en"}, {"language": None}, {"other": "sv"}])
def test_language_slot_is_kept_without_a_valid_language(domain: dict, metadata: dict) -> None:
    tracker = make_tracker(slots={"language": "sv"}, metadata=metadata)
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ValidateSlotMappings().run(dispatcher, tracker, domain))
    assert events == []
    assert dispatcher.messages == []
