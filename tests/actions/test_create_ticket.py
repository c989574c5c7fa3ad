"""action_create_ticket: the request it sends to the handoff service and what it tells the resident.

The handoff service is stood in for by a small aiohttp server on 127.0.0.1 that records requests;
the real service and action server meet in tests/e2e.
"""

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp import web
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.create_ticket import ActionCreateTicket, resident_words


def conversation_events() -> list[dict[str, Any]]:
    return [
        {"event": "user", "text": "hei"},
        {"event": "user", "text": "äitini ei pärjää kotona"},
        {"event": "active_loop", "name": "need_form"},
        {"event": "user", "text": "Loviisassa"},
        {"event": "user", "text": '/inform{"concerns": "close_person"}'},
        {"event": "active_loop", "name": None},
        {"event": "active_loop", "name": "handoff_form"},
        {"event": "slot", "name": "handoff_consent", "value": True, "timestamp": 1700000000.25},
        {"event": "user", "text": "040 123 4567"},
        {"event": "active_loop", "name": None},
    ]


def test_resident_words_leave_out_contact_details_and_buttons() -> None:
    assert resident_words(conversation_events()) == "hei\näitini ei pärjää kotona\nLoviisassa"


def test_resident_words_start_after_the_previous_ticket() -> None:
    events = [
        {"event": "user", "text": "vanha asia"},
        {"event": "action", "name": "action_create_ticket"},
    ]
    assert resident_words([*events, {"event": "user", "text": "uusi asia"}]) == "uusi asia"


def tracker(consent: bool) -> Tracker:
    slots = {
        "language": "sv",
        "urgency": "crisis",
        "service_area": "elderly",
        "municipality": "Loviisa",
        "concerns": "close_person",
        "age_hint": None,
        "handoff_consent": consent,
        "contact_phone": "0401234567",
        "contact_time": "morning",
        "contact_name": "-",
    }
    return Tracker(
        "conv-42",
        slots,
        {"intent": {"name": "affirm"}},
        conversation_events(),
        False,
        None,
        {},
        "action_listen",
    )


@pytest.fixture
def service(monkeypatch: pytest.MonkeyPatch, unused_port: int) -> Iterator[list[dict[str, Any]]]:
    """A stand-in handoff service answering like the real one; yields the requests it got."""
    received: list[dict[str, Any]] = []

    async def create(request: web.Request) -> web.Response:
        received.append({"headers": dict(request.headers), "body": await request.json()})
        return web.json_response(
            {
                "reference": "IU-7K3M9",
                "service_task_name": "Äldrekundhandledning – östra området",
                "due_date": "2026-12-02",
                "urgency": "crisis",
            },
            status=201,
        )

    monkeypatch.setenv("HANDOFF_API_URL", f"http://127.0.0.1:{unused_port}")
    monkeypatch.setenv("HANDOFF_ACTIONS_TOKEN", "token-for-the-test-0123")
    app = web.Application()
    app.router.add_post("/api/v1/tickets", create)
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(app)
    loop.run_until_complete(runner.setup())
    loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", unused_port).start())
    asyncio.set_event_loop(loop)
    yield received
    loop.run_until_complete(runner.cleanup())
    loop.close()


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(consent: bool, domain: dict) -> tuple[CollectingDispatcher, list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    loop = asyncio.get_event_loop()
    events = loop.run_until_complete(ActionCreateTicket().run(dispatcher, tracker(consent), domain))
    return dispatcher, events


def test_consent_creates_the_ticket(service: list[dict[str, Any]], domain: dict) -> None:
    dispatcher, events = run(True, domain)
    [request] = service
    assert request["headers"]["Authorization"] == "Bearer token-for-the-test-0123"
    assert request["headers"]["Idempotency-Key"] == "conv-42:1700000000.25"
    assert request["body"] == {
        "conversation_id": "conv-42",
        "service_area": "elderly",
        "municipality": "Loviisa",
        "language": "sv",
        "urgency": "crisis",
        "concerns": "close_person",
        "age_hint": None,
        "contact_phone": "0401234567",
        "contact_name": None,
        "contact_time": "morning",
        "resident_words": "hei\näitini ei pärjää kotona\nLoviisassa",
    }
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_handoff_priority",
        "utter_handoff_created",
    ]
    created = dispatcher.messages[1]
    assert (created["reference"], created["due_date"]) == ("IU-7K3M9", "2.12.2026")
    assert created["team"] == "Äldrekundhandledning – östra området"
    assert SlotSet("ticket_reference", "IU-7K3M9") in events
    assert SlotSet("handoff_consent", None) in events


def test_declining_creates_nothing(service: list[dict[str, Any]], domain: dict) -> None:
    dispatcher, events = run(False, domain)
    assert service == []
    assert dispatcher.messages[0]["response"] == "utter_handoff_declined"
    assert dispatcher.messages[0]["website"] == "https://ostranyland.fi"
    assert SlotSet("municipality", None) in events


def test_service_down_gives_a_fallback(
    monkeypatch: pytest.MonkeyPatch, unused_port: int, domain: dict
) -> None:
    monkeypatch.setenv("HANDOFF_API_URL", f"http://127.0.0.1:{unused_port}")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionCreateTicket().run(dispatcher, tracker(True), domain))
    assert dispatcher.messages[0]["response"] == "utter_handoff_failed"
    assert events == []
