"""The resident chat API contract: statuses, validation, auth, persistence, the bot-down path."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from handoff.bot.client import BotMessage, Button
from handoff.conversations.models import ContactRequest, Message
from tests.handoff.fakes import ScriptedBot


def start(client: TestClient, body: dict[str, Any] | None = None) -> tuple[str, dict[str, str]]:
    response = (
        client.post("/api/v1/conversations", json=body)
        if body
        else client.post("/api/v1/conversations")
    )
    assert response.status_code == 201, response.text
    data = response.json()
    return data["conversation_id"], {"Authorization": f"Bearer {data['token']}"}


def say(client: TestClient, conversation_id: str, headers: dict[str, str], **body: str) -> Any:
    return client.post(
        f"/api/v1/conversations/{conversation_id}/messages", json=body, headers=headers
    )


def test_create_conversation_returns_id_and_token(client: TestClient) -> None:
    response = client.post("/api/v1/conversations", json={"language": "sv"})
    assert response.status_code == 201
    data = response.json()
    assert set(data) == {"conversation_id", "token"}
    assert len(data["token"]) >= 32


def test_conversation_language_hint_is_the_default(client: TestClient, bot: ScriptedBot) -> None:
    conversation_id, headers = start(client, {"language": "sv"})
    reply = say(client, conversation_id, headers, text="ok")
    assert reply.json()["language"] == "sv"
    assert bot.calls[-1]["language"] == "sv"


def test_conversation_without_body_uses_the_configured_default(client: TestClient) -> None:
    conversation_id, headers = start(client)
    assert say(client, conversation_id, headers, text="ok").json()["language"] == "fi"


@pytest.mark.parametrize("body", [{"language": "en"}, {"language": "fi", "extra": 1}])
def test_create_conversation_rejects_bad_body(client: TestClient, body: dict[str, Any]) -> None:
    assert client.post("/api/v1/conversations", json=body).status_code == 422


def test_reply_follows_the_contract(client: TestClient, bot: ScriptedBot) -> None:
    bot.replies = [
        BotMessage(kind="question", text="Kenestä on kyse?", buttons=[Button("Minusta", "/me")]),
        BotMessage(kind="emergency", text="Soita 112."),
    ]
    conversation_id, headers = start(client, {"language": "fi"})
    response = say(client, conversation_id, headers, text="hei")
    assert response.status_code == 200
    first = response.json()["messages"][0]["id"]  # the resident's message has the id before it
    assert response.json() == {
        "language": "fi",
        "mode": "bot",
        "messages": [
            {
                "id": first,
                "sender": "bot",
                "kind": "question",
                "text": "Kenestä on kyse?",
                "buttons": [{"title": "Minusta", "payload": "/me"}],
            },
            {
                "id": first + 1,
                "sender": "bot",
                "kind": "emergency",
                "text": "Soita 112.",
                "buttons": [],
            },
        ],
        "ticket": None,
        "last_message_id": first + 1,
    }


def test_missing_token_is_401(client: TestClient) -> None:
    conversation_id, _ = start(client)
    response = say(client, conversation_id, {}, text="hei")
    assert response.status_code == 401
    assert "bearer" in response.json()["detail"].lower()
    assert client.get(f"/api/v1/conversations/{conversation_id}").status_code == 401


def test_malformed_authorization_header_is_401(client: TestClient) -> None:
    conversation_id, _ = start(client)
    assert (
        say(client, conversation_id, {"Authorization": "Basic abc"}, text="hei").status_code == 401
    )


def test_wrong_token_is_403(client: TestClient) -> None:
    conversation_id, _ = start(client)
    response = say(client, conversation_id, {"Authorization": "Bearer not-the-token"}, text="hei")
    assert response.status_code == 403


def test_another_conversations_token_is_403(client: TestClient) -> None:
    first_id, _ = start(client)
    _, second_headers = start(client)
    assert say(client, first_id, second_headers, text="hei").status_code == 403
    assert (
        client.get(f"/api/v1/conversations/{first_id}", headers=second_headers).status_code == 403
    )


def test_unknown_conversation_is_404(client: TestClient) -> None:
    _, headers = start(client)
    assert say(client, "no-such-conversation", headers, text="hei").status_code == 404
    assert (
        client.get("/api/v1/conversations/no-such-conversation", headers=headers).status_code == 404
    )


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"text": ""}, "text must not be empty"),
        ({"text": "   \n "}, "text must not be empty"),
        ({"text": "x" * 2001}, "text is too long: 2001 characters, at most 2000 allowed"),
        ({"payload": ""}, "payload must not be empty"),
        ({}, "send either text or payload"),
        ({"text": "hei", "payload": "/greet"}, "send either text or payload"),
    ],
)
def test_invalid_message_is_422_with_the_reason(
    client: TestClient, bot: ScriptedBot, body: dict[str, str], reason: str
) -> None:
    conversation_id, headers = start(client)
    response = client.post(
        f"/api/v1/conversations/{conversation_id}/messages", json=body, headers=headers
    )
    assert response.status_code == 422
    assert reason in response.text
    assert bot.calls == []


def test_text_of_exactly_2000_characters_is_accepted(client: TestClient) -> None:
    conversation_id, headers = start(client)
    assert say(client, conversation_id, headers, text="a" * 2000).status_code == 200


def test_payload_goes_to_the_bot_as_is(client: TestClient, bot: ScriptedBot) -> None:
    conversation_id, headers = start(client, {"language": "sv"})
    say(client, conversation_id, headers, payload="/affirm")
    assert bot.calls[-1] == {
        "conversation_id": conversation_id,
        "message": "/affirm",
        "language": "sv",
    }


def test_language_follows_what_the_resident_writes(client: TestClient, bot: ScriptedBot) -> None:
    conversation_id, headers = start(client, {"language": "fi"})
    assert (
        say(client, conversation_id, headers, text="hej, jag behöver hjälp").json()["language"]
        == "sv"
    )
    assert say(client, conversation_id, headers, text="ok").json()["language"] == "sv"
    assert say(client, conversation_id, headers, text="nej").json()["language"] == "sv"
    assert (
        say(client, conversation_id, headers, text="hei, tarvitsen apua").json()["language"] == "fi"
    )
    assert [call["language"] for call in bot.calls] == ["sv", "sv", "sv", "fi"]
    transcript = client.get(f"/api/v1/conversations/{conversation_id}", headers=headers).json()
    assert transcript["language"] == "fi"


def test_transcript_keeps_every_message_in_order(client: TestClient) -> None:
    conversation_id, headers = start(client, {"language": "fi"})
    say(client, conversation_id, headers, text="hei")
    say(client, conversation_id, headers, payload="/affirm")
    transcript = client.get(f"/api/v1/conversations/{conversation_id}", headers=headers).json()
    assert transcript["conversation_id"] == conversation_id
    assert transcript["mode"] == "bot"
    assert [(m["sender"], m["text"], m["payload"]) for m in transcript["messages"]] == [
        ("resident", "hei", None),
        ("bot", "[fi] hei", None),
        ("resident", None, "/affirm"),
        ("bot", "[fi] /affirm", None),
    ]
    assert transcript["messages"][1]["kind"] == "answer"


@pytest.mark.parametrize(
    ("language", "words"),
    [("fi", "soita heti hätänumeroon 112"), ("sv", "ring genast nödnumret 112")],
)
def test_bot_down_gives_fallback_in_the_residents_language(
    client: TestClient, bot: ScriptedBot, db: Session, language: str, words: str
) -> None:
    bot.available = False
    conversation_id, headers = start(client, {"language": language})
    response = say(client, conversation_id, headers, text="ok")
    assert response.status_code == 200
    [message] = response.json()["messages"]
    assert message["kind"] == "fallback"
    assert words in message["text"].lower()
    stored = db.scalars(select(Message).where(Message.conversation_id == conversation_id)).all()
    assert next((m.sender, m.text) for m in stored) == ("resident", "ok")


def test_bot_crash_still_keeps_the_residents_message(settings: Any, db: Session) -> None:
    from handoff.deps import get_db
    from handoff.main import create_app

    class CrashingBot(ScriptedBot):
        def send(self, *, conversation_id: str, message: str, language: str) -> list[BotMessage]:
            raise RuntimeError("a bug in the bot client")

    app = create_app(settings, bot=CrashingBot())
    app.dependency_overrides[get_db] = lambda: db
    with TestClient(app, raise_server_exceptions=False) as client:
        conversation_id, headers = start(client)
        assert say(client, conversation_id, headers, text="tärkeä viesti").status_code == 500
        transcript = client.get(f"/api/v1/conversations/{conversation_id}", headers=headers).json()
    assert [m["text"] for m in transcript["messages"]] == ["tärkeä viesti"]


def test_phone_number_while_bot_is_down_becomes_a_contact_request(
    client: TestClient, bot: ScriptedBot, db: Session
) -> None:
    bot.available = False
    conversation_id, headers = start(client, {"language": "fi"})
    say(client, conversation_id, headers, text="äitini ei pärjää kotona")
    response = say(client, conversation_id, headers, text="soittakaa 040 123 4567, äidin asia")
    message, live_chat = response.json()["messages"]
    assert message["kind"] == "fallback"
    assert live_chat["sender"] == "system"  # nobody online: live chat is not offered
    assert "eivät ole juuri nyt tavoitettavissa" in live_chat["text"]
    assert live_chat["buttons"] == []
    assert "yhteydenottopyyntösi on tallennettu" in message["text"].lower()
    ticket = response.json()["ticket"]
    assert ticket["service_task"] == "general_advice"
    assert ticket["reference"] in message["text"]
    [request] = db.scalars(
        select(ContactRequest).where(ContactRequest.conversation_id == conversation_id)
    ).all()
    assert request.ticket_reference == ticket["reference"]
    assert request.description == "soittakaa [phone], äidin asia"  # the ticket has the number
    assert request.language == "fi"


def test_contact_request_endpoint_stores_the_request(client: TestClient, db: Session) -> None:
    conversation_id, headers = start(client, {"language": "sv"})
    response = client.post(
        f"/api/v1/conversations/{conversation_id}/contact-requests",
        json={"phone": "+358 40 123 4567", "description": "Min mamma klarar sig inte hemma"},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    assert response.json()["message"]["kind"] == "fallback"
    assert "kontaktbegäran har sparats" in response.json()["message"]["text"]
    ticket = response.json()["ticket"]
    assert (ticket["service_task"], ticket["status"]) == ("general_advice", "new")
    assert ticket["reference"] in response.json()["message"]["text"]
    [request] = db.scalars(
        select(ContactRequest).where(ContactRequest.conversation_id == conversation_id)
    ).all()
    assert (request.ticket_reference, request.language) == (ticket["reference"], "sv")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"phone": "12", "description": "apua"}, "phone must be a Finnish phone number"),
        ({"phone": "040 123 4567", "description": " "}, "description must not be empty"),
        ({"phone": "040 123 4567"}, "Field required"),
    ],
)
def test_contact_request_validation(client: TestClient, body: dict[str, str], reason: str) -> None:
    conversation_id, headers = start(client)
    response = client.post(
        f"/api/v1/conversations/{conversation_id}/contact-requests", json=body, headers=headers
    )
    assert response.status_code == 422
    assert reason in response.text


def test_contact_request_needs_the_token(client: TestClient) -> None:
    conversation_id, _ = start(client)
    response = client.post(
        f"/api/v1/conversations/{conversation_id}/contact-requests",
        json={"phone": "040 123 4567", "description": "apua"},
    )
    assert response.status_code == 401
