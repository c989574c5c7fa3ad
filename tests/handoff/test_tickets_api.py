"""Tickets: creation by the action server, idempotency, the advisor API, the status lookup."""

import re
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from handoff.auth.service import ensure_named_token
from handoff.bot.client import BotMessage
from handoff.conversations.models import Conversation
from tests.handoff.fakes import ScriptedBot

BOT_TOKEN = "action-server-token-0123456789"
ADVISOR_TOKEN = "advisor-token-0123456789abcdef"
BOT = {"Authorization": f"Bearer {BOT_TOKEN}"}
ADVISOR = {"Authorization": f"Bearer {ADVISOR_TOKEN}"}


@pytest.fixture(autouse=True)
def tokens(db: Session) -> None:
    ensure_named_token(db=db, name="action-server", token=BOT_TOKEN, role="bot")
    ensure_named_token(db=db, name="advisor-anna", token=ADVISOR_TOKEN, role="advisor")


def ticket_body(**changes: Any) -> dict[str, Any]:
    body = {
        "service_area": "elderly",
        "municipality": "Loviisa",
        "language": "fi",
        "urgency": "concern",
        "concerns": "close_person",
        "age_hint": "86",
        "contact_phone": "040 123 4567",
        "contact_time": "morning",
        "resident_words": "Äitini ei enää pärjää kotona Loviisassa.",
    }
    body.update(changes)
    return body


def create(client: TestClient, key: str | None = None, **changes: Any) -> Any:
    headers = {**BOT, **({"Idempotency-Key": key} if key else {})}
    return client.post("/api/v1/tickets", json=ticket_body(**changes), headers=headers)


def test_ticket_is_routed_and_dated(client: TestClient) -> None:
    response = create(client)
    assert response.status_code == 201, response.text
    ticket = response.json()
    assert re.fullmatch(r"IU-[2-9A-HJKMNP-TW-Z]{5}", ticket["reference"])
    assert ticket["service_task"] == "elderly_eastern"
    assert ticket["service_task_name"] == "Ikääntyneiden asiakasohjaus – itäinen alue"
    assert ticket["status"] == "new"
    assert date.fromisoformat(ticket["due_date"]) > date.today()


def test_swedish_ticket_gets_the_swedish_team_name(client: TestClient) -> None:
    ticket = create(client, language="sv", municipality="Borgå", service_area="working_age").json()
    assert (ticket["municipality"], ticket["service_task"]) == ("Porvoo", "working_age_central")
    assert (
        ticket["service_task_name"]
        == "Kundhandledning för personer i arbetsför ålder – mellersta området"
    )


def test_unknown_area_goes_to_general_advice_due_the_same_working_day(client: TestClient) -> None:
    ticket = create(client, service_area=None).json()
    assert ticket["service_task"] == "general_advice"


def test_crisis_is_due_the_same_working_day(client: TestClient) -> None:
    from handoff.tickets.due_dates import WorkingDays

    ticket = create(client, urgency="crisis").json()
    assert date.fromisoformat(ticket["due_date"]) == WorkingDays().add(date.today(), 0)


def test_same_idempotency_key_gives_the_same_ticket(client: TestClient, db: Session) -> None:
    first = create(client, key="conv-1:1700000000.5")
    again = create(client, key="conv-1:1700000000.5")
    other = create(client, key="conv-1:1700000999.5")
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 201)
    assert first.json()["reference"] == again.json()["reference"] != other.json()["reference"]
    listed = client.get("/api/v1/tickets", headers=ADVISOR).json()
    assert len(listed) == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"contact_phone": "12345"}, "contact_phone must be a Finnish phone number"),
        ({"service_area": "gardening"}, "service_area"),
        ({"language": "en"}, "language"),
        ({"resident_words": ""}, "resident_words"),
    ],
)
def test_invalid_ticket_is_422(client: TestClient, change: dict[str, Any], field: str) -> None:
    response = create(client, **change)
    assert response.status_code == 422
    assert field in response.text


def test_creating_needs_the_action_servers_token(client: TestClient) -> None:
    assert client.post("/api/v1/tickets", json=ticket_body()).status_code == 401
    wrong = {"Authorization": "Bearer not-a-token"}
    assert client.post("/api/v1/tickets", json=ticket_body(), headers=wrong).status_code == 401
    assert client.post("/api/v1/tickets", json=ticket_body(), headers=ADVISOR).status_code == 403


def test_status_lookup_refuses_alike(client: TestClient) -> None:
    reference = create(client).json()["reference"]
    url = "/api/v1/tickets/status-lookup"
    ok = client.post(url, json={"reference": reference.lower(), "phone_last4": "4567"}, headers=BOT)
    assert ok.status_code == 200
    assert ok.json()["status"] == "new"
    wrong_digits = client.post(
        url, json={"reference": reference, "phone_last4": "4568"}, headers=BOT
    )
    unknown = client.post(url, json={"reference": "IU-22222", "phone_last4": "4567"}, headers=BOT)
    gibberish = client.post(url, json={"reference": "asdf", "phone_last4": "x"}, headers=BOT)
    assert wrong_digits.status_code == unknown.status_code == gibberish.status_code == 404
    assert wrong_digits.json() == unknown.json() == gibberish.json()


def test_status_in_the_conversation_that_made_the_ticket(client: TestClient) -> None:
    created = client.post("/api/v1/conversations", json={"language": "fi"}).json()
    mine = created["conversation_id"]
    reference = create(client, conversation_id=mine).json()["reference"]
    url = "/api/v1/tickets/status-lookup"
    ok = client.post(url, json={"reference": reference, "conversation_id": mine}, headers=BOT)
    assert ok.status_code == 200
    assert ok.json()["reference"] == reference
    other = client.post("/api/v1/conversations", json={"language": "fi"}).json()["conversation_id"]
    refused = client.post(url, json={"reference": reference, "conversation_id": other}, headers=BOT)
    unknown = client.post(url, json={"reference": "IU-22222", "phone_last4": "4567"}, headers=BOT)
    assert refused.status_code == 404
    assert refused.json() == unknown.json()
    # exactly one proof: the digits or the conversation
    both = {"reference": reference, "conversation_id": mine, "phone_last4": "4567"}
    assert client.post(url, json=both, headers=BOT).status_code == 422
    assert client.post(url, json={"reference": reference}, headers=BOT).status_code == 422


def test_advisor_lists_with_filters(client: TestClient) -> None:
    create(client, municipality="Porvoo", service_area="elderly", language="fi")
    create(client, municipality="Sipoo", service_area="lanupe", language="sv")

    def refs(**params: str) -> list[str]:
        response = client.get("/api/v1/tickets", params=params, headers=ADVISOR)
        assert response.status_code == 200
        return [t["service_task"] for t in response.json()]

    assert refs(service_task="elderly_central") == ["elderly_central"]
    assert refs(service_area="lanupe") == ["lanupe_western"]
    assert refs(municipality="Sipoo", language="sv") == ["lanupe_western"]
    assert refs(status="done") == []
    assert (
        client.get("/api/v1/tickets", params={"status": "bogus"}, headers=ADVISOR).status_code
        == 422
    )


def test_advisor_api_needs_an_advisor_token(client: TestClient) -> None:
    assert client.get("/api/v1/tickets").status_code == 401
    assert client.get("/api/v1/tickets", headers=BOT).status_code == 403


def test_detail_has_summary_history_and_transcript(
    client: TestClient, bot: ScriptedBot, db: Session
) -> None:
    created = client.post("/api/v1/conversations", json={"language": "fi"}).json()
    headers = {"Authorization": f"Bearer {created['token']}"}
    client.post(
        f"/api/v1/conversations/{created['conversation_id']}/messages",
        json={"text": "äitini ei pärjää"},
        headers=headers,
    )
    reference = create(client, conversation_id=created["conversation_id"]).json()["reference"]
    detail = client.get(f"/api/v1/tickets/{reference}", headers=ADVISOR).json()
    assert detail["municipality"] == "Loviisa"
    assert detail["urgency"] == "concern"
    assert "Koskee: läheistä" in detail["need_summary"]
    assert "Kunta: Loviisa" in detail["need_summary"]
    assert "Äitini ei enää pärjää kotona Loviisassa." in detail["need_summary"]
    assert [e["kind"] for e in detail["history"]] == ["created"]
    assert detail["transcript"][0]["text"] == "äitini ei pärjää"
    assert client.get("/api/v1/tickets/IU-22222", headers=ADVISOR).status_code == 404


def test_status_moves_forward_only(client: TestClient) -> None:
    reference = create(client).json()["reference"]
    url = f"/api/v1/tickets/{reference}"
    assert client.patch(url, json={"status": "done"}, headers=ADVISOR).status_code == 409
    assert (
        client.patch(url, json={"status": "in_progress"}, headers=ADVISOR).json()["status"]
        == "in_progress"
    )
    assert client.patch(url, json={"status": "new"}, headers=ADVISOR).status_code == 409
    done = client.patch(url, json={"status": "done"}, headers=ADVISOR).json()
    assert done["status"] == "done"
    assert [(e["kind"], e["to_value"], e["actor"]) for e in done["history"]] == [
        ("created", "elderly_eastern", "action-server"),
        ("status", "in_progress", "advisor-anna"),
        ("status", "done", "advisor-anna"),
    ]


def test_reroute_keeps_history_and_needs_a_reason(client: TestClient) -> None:
    reference = create(client).json()["reference"]
    url = f"/api/v1/tickets/{reference}"
    no_reason = client.patch(url, json={"service_task": "elderly_informal_care"}, headers=ADVISOR)
    assert no_reason.status_code == 422 and "reason" in no_reason.text
    unknown = client.patch(url, json={"service_task": "nope", "reason": "x"}, headers=ADVISOR)
    assert unknown.status_code == 422
    moved = client.patch(
        url,
        json={"service_task": "elderly_informal_care", "reason": "Omaishoidon tuki"},
        headers=ADVISOR,
    ).json()
    assert moved["service_task"] == "elderly_informal_care"
    assert moved["history"][-1] == {
        **moved["history"][-1],
        "kind": "reroute",
        "from_value": "elderly_eastern",
        "to_value": "elderly_informal_care",
        "reason": "Omaishoidon tuki",
    }


def test_chat_reply_carries_the_ticket_created_during_the_turn(
    client: TestClient, bot: ScriptedBot
) -> None:
    created = client.post("/api/v1/conversations", json={"language": "fi"}).json()
    conversation_id = created["conversation_id"]
    headers = {"Authorization": f"Bearer {created['token']}"}
    first = client.post(
        f"/api/v1/conversations/{conversation_id}/messages", json={"text": "hei"}, headers=headers
    )
    assert first.json()["ticket"] is None

    class TicketCreatingBot(ScriptedBot):
        def send(self, *, conversation_id: str, message: str, language: str) -> list[BotMessage]:
            ticket = create(
                client, key=f"{conversation_id}:1", conversation_id=conversation_id
            ).json()
            return [BotMessage(kind="handoff", text=f"Viitenumerosi on {ticket['reference']}.")]

    client.app.state.bot = TicketCreatingBot()  # type: ignore[attr-defined]
    reply = client.post(
        f"/api/v1/conversations/{conversation_id}/messages",
        json={"payload": "/affirm"},
        headers=headers,
    ).json()
    assert reply["ticket"]["reference"] in reply["messages"][0]["text"]
    assert reply["ticket"]["service_task"] == "elderly_eastern"
    assert set(reply["ticket"]) >= {
        "reference",
        "service_area",
        "municipality",
        "service_task",
        "status",
        "due_date",
    }
    client.app.state.bot = bot  # type: ignore[attr-defined]
    later = client.post(
        f"/api/v1/conversations/{conversation_id}/messages",
        json={"text": "kiitos"},
        headers=headers,
    )
    assert later.json()["ticket"] is None


def test_triage_uses_the_bots_identification(client: TestClient, bot: ScriptedBot) -> None:
    bot.parsed = {
        "intent": {"name": "concern"},
        "entities": [
            {"entity": "service_area", "value": "elderly"},
            {"entity": "municipality", "value": "Porvoo"},
        ],
    }
    response = client.post(
        "/api/v1/triage", json={"text": "isäni ei pärjää Porvoossa"}, headers=ADVISOR
    )
    assert response.status_code == 200
    assert response.json() == {
        "language": "fi",
        "urgency": "concern",
        "service_area": "elderly",
        "municipality": "Porvoo",
        "service_task": "elderly_central",
    }
    assert bot.parse_calls == ["isäni ei pärjää Porvoossa"]


def test_triage_when_rasa_is_down_is_503(client: TestClient, bot: ScriptedBot) -> None:
    bot.available = False
    response = client.post("/api/v1/triage", json={"text": "hjälp"}, headers=ADVISOR)
    assert response.status_code == 503
    assert client.post("/api/v1/triage", json={"text": ""}, headers=ADVISOR).status_code == 422


def test_the_bot_never_sees_the_phone_number_and_the_ticket_gets_it(
    client: TestClient, bot: ScriptedBot, db: Session
) -> None:
    """The hand-off form's phone answer reaches Rasa as [phone:NNNN]; the action server's ticket
    carries that reference, and the service puts the number in the ticket's contact field only."""
    created = client.post("/api/v1/conversations", json={"language": "fi"}).json()
    conversation_id = created["conversation_id"]
    headers = {"Authorization": f"Bearer {created['token']}"}
    said = "soita numeroon 040 123 4567 tai 050-765 4321, hetu 131052-308T"
    client.post(
        f"/api/v1/conversations/{conversation_id}/messages", json={"text": said}, headers=headers
    )
    assert bot.calls[-1]["message"] == ("soita numeroon [phone:4567] tai [phone:4321], hetu [hetu]")

    words = "Äitini ei pärjää. Soittakaa 040 123 4567."
    first = create(
        client,
        key=f"{conversation_id}:1",
        conversation_id=conversation_id,
        contact_phone="[phone:4321]",
        resident_words=words,
    )
    assert first.status_code == 201, first.text
    detail = client.get(f"/api/v1/tickets/{first.json()['reference']}", headers=ADVISOR).json()
    assert detail["contact_phone"] == "0507654321"
    assert detail["resident_words"] == "Äitini ei pärjää. Soittakaa [phone]."
    # The ticket holds the number now: the conversation keeps none.
    db.expire_all()
    assert db.get(Conversation, conversation_id).phone_numbers is None  # type: ignore[union-attr]
    # The action server retrying the same consent gets the same ticket, not an error.
    again = create(
        client,
        key=f"{conversation_id}:1",
        conversation_id=conversation_id,
        contact_phone="[phone:4321]",
    )
    assert (again.status_code, again.json()["reference"]) == (200, first.json()["reference"])
    # A new hand-off needs a number given again.
    unknown = create(
        client,
        key=f"{conversation_id}:2",
        conversation_id=conversation_id,
        contact_phone="[phone:4321]",
    )
    assert unknown.status_code == 422
    assert "no phone number given in this conversation" in unknown.json()["detail"]


@pytest.mark.parametrize("conversation_id", [None, "no-such-conversation"])
def test_a_phone_reference_without_its_conversation_is_refused(
    client: TestClient, conversation_id: str | None
) -> None:
    response = create(client, conversation_id=conversation_id, contact_phone="[phone:4567]")
    assert response.status_code == 422
    assert "[phone:4567]" in response.json()["detail"]
