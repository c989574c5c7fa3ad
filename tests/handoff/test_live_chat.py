"""Live hand-off: the offer after a ticket, the queue, an advisor answering in real time (server-
sent events), handing back to the bot, closing, and the resident's feedback."""

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from handoff.advisors import service as advisors
from handoff.bot.client import BotMessage
from handoff.config import Settings
from handoff.county.loader import load_county
from handoff.deps import get_db
from handoff.feedback.models import Feedback
from handoff.live.availability import within_live_hours
from handoff.main import create_app
from handoff.tickets.due_dates import WorkingDays
from handoff.tickets.models import Ticket
from tests.handoff.fakes import ScriptedBot
from tests.handoff.test_console import PASSWORD, login

ROOT = Path(__file__).resolve().parents[2]
COUNTY = load_county(ROOT / "county" / "itauusimaa.yml")


@pytest.fixture
def live_client(
    settings: Settings, bot: ScriptedBot, db: Session, live_county_file: Path
) -> Iterator[TestClient]:
    """The app with live chat open around the clock and one advisor of the general team."""
    app = create_app(settings.model_copy(update={"county_file": live_county_file}), bot=bot)

    def test_db() -> Iterator[Session]:
        yield db

    app.dependency_overrides[get_db] = test_db
    advisors.create_team(db=db, county=COUNTY, name="Neuvonta", tasks=["general_advice"])
    advisors.create_advisor(
        db=db, username="ville", display_name="Ville", password=PASSWORD, teams=["Neuvonta"]
    )
    with TestClient(app) as client:
        connection = db.connection()
        app.state.stream_session_factory = lambda: Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        yield client


def start(client: TestClient, language: str = "fi") -> tuple[str, dict[str, str]]:
    body = client.post("/api/v1/conversations", json={"language": language}).json()
    return body["conversation_id"], {"Authorization": f"Bearer {body['token']}"}


def say(client: TestClient, cid: str, headers: dict[str, str], **body: str) -> dict:  # type: ignore[type-arg]
    response = client.post(f"/api/v1/conversations/{cid}/messages", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def hand_off(client: TestClient, bot: ScriptedBot, cid: str, headers: dict[str, str]) -> dict:  # type: ignore[type-arg]
    """A turn in which the bot (here: the test, as the action server) creates a ticket."""
    from handoff.tickets.schemas import TicketCreate
    from handoff.tickets.service import create_ticket

    class TicketingBot(ScriptedBot):
        def send(self, *, conversation_id: str, message: str, language: str) -> list[BotMessage]:
            db = next(next(iter(client.app.dependency_overrides.values()))())  # type: ignore[attr-defined]
            create_ticket(
                db=db,
                county=COUNTY,
                calendar=WorkingDays(),
                data=TicketCreate(
                    conversation_id=conversation_id,
                    language="fi",
                    contact_phone="040 123 4567",
                    resident_words=message,
                ),
                idempotency_key=None,
                actor="test",
            )
            return [BotMessage(kind="handoff", text="Asiasi on kirjattu.")]

    client.app.state.bot = TicketingBot()  # type: ignore[attr-defined]
    try:
        return say(client, cid, headers, text="äiti ei pärjää, soittakaa 040 123 4567")
    finally:
        client.app.state.bot = bot  # type: ignore[attr-defined]


def events(
    client: TestClient, cid: str, headers: dict[str, str], after: int = 0
) -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    """Every event of one stream (it closes itself after the test settings' 2 seconds)."""
    found: list[tuple[str, dict]] = []  # type: ignore[type-arg]
    url = f"/api/v1/conversations/{cid}/events?after={after}"
    with client.stream("GET", url, headers=headers) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        name = ""
        for line in response.iter_lines():
            if line.startswith("event: "):
                name = line.removeprefix("event: ")
            elif line.startswith("data: "):
                found.append((name, json.loads(line.removeprefix("data: "))))
    return found


def test_live_hours_follow_the_office_hours_and_holidays() -> None:
    calendar = WorkingDays()
    helsinki_noon_monday = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # 12:00 in Helsinki
    assert within_live_hours(COUNTY, calendar, helsinki_noon_monday)
    assert not within_live_hours(COUNTY, calendar, datetime(2026, 11, 23, 15, 0, tzinfo=UTC))
    assert not within_live_hours(COUNTY, calendar, datetime(2026, 11, 22, 10, 0, tzinfo=UTC))
    christmas_friday = datetime(2026, 12, 25, 10, 0, tzinfo=UTC)
    assert not within_live_hours(COUNTY, calendar, christmas_friday)


def test_nobody_online_means_no_offer_and_the_resident_is_told(
    live_client: TestClient, bot: ScriptedBot
) -> None:
    cid, headers = start(live_client)
    turn = hand_off(live_client, bot, cid, headers)
    offer = turn["messages"][-1]
    assert offer["sender"] == "system" and offer["buttons"] == []
    assert "eivät ole juuri nyt tavoitettavissa" in offer["text"]
    refused = say(live_client, cid, headers, payload="/live_chat")
    assert refused["mode"] == "bot"


def test_live_chat_from_offer_to_feedback(
    live_client: TestClient, bot: ScriptedBot, db: Session
) -> None:
    resident = live_client
    cid, headers = start(resident)
    advisor = TestClient(resident.app)
    csrf = login(advisor, "ville")  # the console page counts as online

    turn = hand_off(resident, bot, cid, headers)
    offer = turn["messages"][-1]
    assert offer["buttons"] == [{"title": "Juttele neuvojan kanssa nyt", "payload": "/live_chat"}]
    queued = say(resident, cid, headers, payload="/live_chat")
    assert queued["mode"] == "queued"
    assert "yhdistämme sinut neuvojalle" in queued["messages"][0]["text"]

    queue = advisor.get("/console/chats").text
    assert f'data-conversation="{cid}"' in queue
    taken = advisor.post(f"/console/chats/{cid}/take", data={"csrf_token": csrf})
    assert taken.status_code == 200 and "Chat asukkaan kanssa" in taken.text

    calls_before = len(bot.calls)
    silent = say(resident, cid, headers, text="hei, oletko ihminen?")
    assert silent == {**silent, "mode": "advisor", "messages": []}
    assert len(bot.calls) == calls_before  # the bot stays silent

    sent = advisor.post(
        f"/console/chats/{cid}/messages",
        json={"text": "Hei, olen Ville. Kerro lisää."},
        headers={"X-CSRF-Token": csrf},
    )
    assert sent.status_code == 201
    forged = advisor.post(f"/console/chats/{cid}/messages", json={"text": "x"})
    assert forged.status_code == 403

    stream = events(resident, cid, headers, after=silent["last_message_id"])
    assert ("mode", {"mode": "advisor"}) in stream
    texts = [data["text"] for name, data in stream if name == "message"]
    assert texts == ["Hei, olen Ville. Kerro lisää."]  # the resident's own are not echoed

    advisor.post(f"/console/chats/{cid}/hand-back", data={"csrf_token": csrf})
    back = say(resident, cid, headers, text="kiitos")
    assert back["mode"] == "bot" and back["messages"][0]["text"] == "[fi] kiitos"

    # Back in the queue, then closed by the advisor: the resident is asked for feedback.
    say(resident, cid, headers, payload="/live_chat")
    advisor.post(f"/console/chats/{cid}/take", data={"csrf_token": csrf})
    advisor.post(f"/console/chats/{cid}/close", data={"csrf_token": csrf})
    db.expire_all()  # the test shares one session between requests; the service does not
    transcript = resident.get(f"/api/v1/conversations/{cid}", headers=headers).json()
    assert transcript["mode"] == "closed"
    assert transcript["tickets"][0]["service_task"] == "general_advice"
    senders = [m["sender"] for m in transcript["messages"]]
    assert "advisor" in senders and senders.count("system") >= 5

    feedback = resident.post(
        f"/api/v1/conversations/{cid}/feedback",
        json={"rating": 5, "comment": "Hyvä palvelu", "reply_requested": False},
        headers=headers,
    )
    assert feedback.status_code == 201 and feedback.json()["ticket"] is None
    assert resident.get(f"/api/v1/conversations/{cid}", headers=headers).json()["feedback_given"]


def test_feedback_while_in_the_queue_ends_the_live_chat(
    live_client: TestClient, db: Session
) -> None:
    cid, headers = start(live_client)
    advisor = TestClient(live_client.app)
    login(advisor, "ville")
    assert say(live_client, cid, headers, payload="/live_chat")["mode"] == "queued"
    response = live_client.post(
        f"/api/v1/conversations/{cid}/feedback", json={"rating": 4}, headers=headers
    )
    assert response.status_code == 201
    db.expire_all()
    transcript = live_client.get(f"/api/v1/conversations/{cid}", headers=headers).json()
    assert transcript["mode"] == "closed"
    assert transcript["messages"][-1]["text"] == "Asukas päätti keskustelun ja antoi palautteen."
    assert f'data-conversation="{cid}"' not in advisor.get("/console/chats").text


def test_a_chat_taken_by_one_advisor_cannot_be_taken_by_another(
    live_client: TestClient, bot: ScriptedBot, db: Session
) -> None:
    advisors.create_advisor(
        db=db, username="maija", display_name="Maija", password=PASSWORD, teams=["Neuvonta"]
    )
    cid, headers = start(live_client)
    first, second = TestClient(live_client.app), TestClient(live_client.app)
    csrf1, csrf2 = login(first, "ville"), login(second, "maija")
    say(live_client, cid, headers, payload="/live_chat")
    assert first.post(f"/console/chats/{cid}/take", data={"csrf_token": csrf1}).status_code == 200
    late = second.post(f"/console/chats/{cid}/take", data={"csrf_token": csrf2})
    assert late.status_code == 409
    intruder = second.post(
        f"/console/chats/{cid}/messages", json={"text": "hei"}, headers={"X-CSRF-Token": csrf2}
    )
    assert intruder.status_code == 409


@pytest.mark.parametrize(
    "body, problem",
    [
        ({"rating": 0}, "greater than or equal to 1"),
        ({"rating": 6}, "less than or equal to 5"),
        ({"rating": 3, "reply_requested": True}, "a reply needs contact_phone"),
        ({"rating": 3, "reply_requested": True, "contact_phone": "12"}, "Finnish phone number"),
    ],
)
def test_bad_feedback_is_a_clear_422(client: TestClient, body: dict, problem: str) -> None:  # type: ignore[type-arg]
    cid, headers = start(client)
    response = client.post(f"/api/v1/conversations/{cid}/feedback", json=body, headers=headers)
    assert response.status_code == 422
    assert problem in response.text


def test_feedback_asking_for_a_reply_lands_on_the_feedback_worklist(
    client: TestClient, db: Session
) -> None:
    cid, headers = start(client, "sv")
    body = {
        "rating": 2,
        "comment": "Svårt",
        "reply_requested": True,
        "contact_phone": "040 1234567",
    }
    response = client.post(f"/api/v1/conversations/{cid}/feedback", json=body, headers=headers)
    assert response.status_code == 201
    ticket = response.json()["ticket"]
    assert ticket["service_task"] == "feedback"
    assert ticket["reference"] in response.json()["message"]
    assert "Vi svarar dig" in response.json()["message"]
    stored = db.scalar(select(Ticket).where(Ticket.reference == ticket["reference"]))
    assert stored is not None and "Svårt" in stored.resident_words and stored.urgency == "none"
    again = client.post(f"/api/v1/conversations/{cid}/feedback", json=body, headers=headers)
    assert again.status_code == 409
    assert len(db.scalars(select(Feedback).where(Feedback.conversation_id == cid)).all()) == 1


def test_event_stream_needs_the_conversations_token(client: TestClient) -> None:
    cid, _ = start(client)
    _, other = start(client)
    assert client.get(f"/api/v1/conversations/{cid}/events").status_code == 401
    assert client.get(f"/api/v1/conversations/{cid}/events", headers=other).status_code == 403


def test_widget_texts_exist_in_both_languages(client: TestClient) -> None:
    texts = client.get("/api/v1/widget/texts").json()
    assert set(texts) == {"fi", "sv"} and texts["fi"].keys() == texts["sv"].keys()
    assert all(re.fullmatch(r"[a-z0-9_]+", key) for key in texts["fi"])
    assert "widget_" not in "".join(texts["fi"])


@pytest.mark.parametrize("path, lang", [("/", "fi"), ("/sv/", "sv")])
def test_demo_pages_embed_the_widget_in_the_page_language(
    client: TestClient, path: str, lang: str
) -> None:
    page = client.get(path)
    assert page.status_code == 200
    assert f'<html lang="{lang}"' in page.text
    assert '<script src="/static/neuvo-widget.js"' in page.text
    assert client.get("/static/neuvo-widget.js").status_code == 200


def test_an_advisor_cannot_follow_someone_elses_or_a_bot_chat(
    live_client: TestClient, db: Session
) -> None:
    advisors.create_advisor(
        db=db, username="maija", display_name="Maija", password=PASSWORD, teams=["Neuvonta"]
    )
    cid, headers = start(live_client)
    say(live_client, cid, headers, text="hei")
    other = TestClient(live_client.app)
    login(other, "maija")
    assert other.get(f"/console/chats/{cid}").status_code == 403  # a bot conversation
    assert other.get(f"/console/chats/{cid}/events").status_code == 403
    first = TestClient(live_client.app)
    csrf = login(first, "ville")
    say(live_client, cid, headers, payload="/live_chat")
    assert other.get(f"/console/chats/{cid}").status_code == 200  # waiting in the queue
    first.post(f"/console/chats/{cid}/take", data={"csrf_token": csrf})
    assert other.get(f"/console/chats/{cid}").status_code == 403  # Ville's now
