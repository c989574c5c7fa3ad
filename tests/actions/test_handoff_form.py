"""Consent, phone number, time and name in the hand-off form."""

import asyncio
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff_form import ValidateHandoffForm, normalise_phone
from tests.actions.conftest import make_tracker


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("040 123 4567", "0401234567"),
        ("+358 40 1234567", "+358401234567"),
        ("09-1234567", "091234567"),
        ("12345", None),
        ("soita mulle", None),
        ("010190-123A", None),
        ("[phone:4567]", "[phone:4567]"),
        ("numeroni on [phone:0123], kiitos", "[phone:0123]"),
        ("[phone]", None),
        ("[phone:45]", None),
    ],
)
def test_normalise_phone(text: str, phone: Any) -> None:
    assert normalise_phone(text) == phone


def test_invalid_phone_is_asked_again() -> None:
    dispatcher = CollectingDispatcher()
    result = ValidateHandoffForm().validate_contact_phone("abc", dispatcher, make_tracker(), {})
    assert result == {"contact_phone": None}
    assert dispatcher.messages[0]["response"] == "utter_invalid_phone"


@pytest.mark.parametrize(
    ("value", "consent"),
    [(True, True), (False, False), ("kyllä", True), ("Joo!", True), ("ja", True)],
)
def test_consent(value: Any, consent: bool) -> None:
    result = ValidateHandoffForm().validate_handoff_consent(
        value, CollectingDispatcher(), make_tracker(), {}
    )
    assert result == {"handoff_consent": consent}


def test_unclear_consent_is_asked_again() -> None:
    dispatcher = CollectingDispatcher()
    result = ValidateHandoffForm().validate_handoff_consent(
        "ehkä huomenna", dispatcher, make_tracker(), {}
    )
    assert result == {"handoff_consent": None}
    assert dispatcher.messages[0]["response"] == "utter_choose_from_buttons"


def test_nothing_more_is_asked_after_no() -> None:
    tracker = make_tracker(slots={"handoff_consent": False})
    slots = ["handoff_consent", "contact_phone", "contact_time", "contact_name"]
    assert (
        asyncio.run(
            ValidateHandoffForm().required_slots(slots, CollectingDispatcher(), tracker, {})
        )
        == []
    )
    tracker = make_tracker(slots={"handoff_consent": True})
    assert (
        asyncio.run(
            ValidateHandoffForm().required_slots(slots, CollectingDispatcher(), tracker, {})
        )
        == slots
    )


@pytest.mark.parametrize(
    ("value", "intent", "name"),
    [("/skip", "skip", "-"), ("Anna", "inform", "Anna"), ("  ", "inform", "-")],
)
def test_name_is_optional(value: str, intent: str, name: str) -> None:
    tracker = make_tracker()
    tracker.latest_message["intent"] = {"name": intent}
    assert ValidateHandoffForm().validate_contact_name(
        value, CollectingDispatcher(), tracker, {}
    ) == {"contact_name": name}
