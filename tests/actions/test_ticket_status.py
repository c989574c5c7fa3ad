"""Status of my matter: the form's validation and the neutral answer."""

import asyncio
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.ticket_status import ActionTicketStatus, ValidateStatusForm
from tests.actions.conftest import make_tracker


@pytest.mark.parametrize(
    ("value", "reference"),
    [
        ("IU-7K3M9", "IU-7K3M9"),
        ("se on iu-7k3m9", "IU-7K3M9"),
        ("IU 7K3M9", "IU-7K3M9"),
        ("en muista", "EN MUISTA"),
    ],
)
def test_reference_is_normalised_or_kept_as_given(value: str, reference: str) -> None:
    result = ValidateStatusForm().validate_status_reference(
        value, CollectingDispatcher(), make_tracker(), {}
    )
    assert result == {"status_reference": reference}


@pytest.mark.parametrize(
    ("value", "digits"),
    [("4567", "4567"), ("ne on 4567", "4567"), ("45", "none"), ("123456", "none")],
)
def test_last_four_digits(value: str, digits: str) -> None:
    result = ValidateStatusForm().validate_status_phone_last4(
        value, CollectingDispatcher(), make_tracker(), {}
    )
    assert result == {"status_phone_last4": digits}


def test_unreachable_service_gives_the_neutral_answer(
    monkeypatch: pytest.MonkeyPatch, domain: dict[str, Any]
) -> None:
    monkeypatch.setenv("HANDOFF_API_URL", "http://127.0.0.1:9")
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots={"status_reference": "IU-7K3M9", "status_phone_last4": "4567"})
    asyncio.run(ActionTicketStatus().run(dispatcher, tracker, domain))
    assert [m["response"] for m in dispatcher.messages] == ["utter_ticket_status_unknown"]
