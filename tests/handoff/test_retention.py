"""Retention: transcripts, closed tickets, unanswered questions and expired console sessions are
purged after their periods; open tickets and their transcripts are kept. On both backends, with
timestamps moved into the past; the command itself on a real SQLite file."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import (
    Column,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from handoff.advisors.models import ConsoleSession
from handoff.advisors.service import create_advisor
from handoff.conversations.models import ContactRequest, Conversation, Message
from handoff.db import make_engine, make_session_factory, utcnow
from handoff.feedback.models import Feedback
from handoff.retention.rasa_trackers import tracker_store_engine
from handoff.retention.service import PurgeCounts, purge, purge_rasa_trackers
from handoff.tickets.models import Ticket, TicketEvent
from handoff.tickets.schemas import TicketUpdate
from handoff.tickets.service import add_note, update_ticket
from handoff.unanswered.models import UnansweredQuestion
from handoff.unanswered.service import record
from tests.handoff.conftest import ROOT, migrate, throwaway_postgres_database

TRANSCRIPT_DAYS = 90
TICKET_DAYS = 365


def run_purge(db: Session, dry_run: bool = False) -> PurgeCounts:
    return purge(
        db=db,
        transcript_days=TRANSCRIPT_DAYS,
        closed_ticket_days=TICKET_DAYS,
        dry_run=dry_run,
    )


def conversation(client: TestClient, *texts: str) -> tuple[str, dict[str, str]]:
    """A conversation with the resident's `texts` (and the bot's answers)."""
    created = client.post("/api/v1/conversations", json={"language": "fi"}).json()
    headers = {"Authorization": f"Bearer {created['token']}"}
    for words in texts:
        response = client.post(
            f"/api/v1/conversations/{created['conversation_id']}/messages",
            json={"text": words},
            headers=headers,
        )
        assert response.status_code == 200, response.text
    return created["conversation_id"], headers


def with_ticket(client: TestClient) -> tuple[str, dict[str, str], str]:
    """A conversation whose contact request made a ticket; and the ticket's reference."""
    conversation_id, headers = conversation(client, "äitini ei pärjää kotona")
    response = client.post(
        f"/api/v1/conversations/{conversation_id}/contact-requests",
        json={"phone": "040 123 4567", "description": "äidin asia"},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return conversation_id, headers, response.json()["ticket"]["reference"]


def ticket(db: Session, reference: str) -> Ticket | None:
    return db.scalars(select(Ticket).where(Ticket.reference == reference)).first()


def finish(client: TestClient, db: Session, reference: str) -> None:
    """The ticket goes new → in_progress → done, as advisors do it."""
    found = ticket(db, reference)
    assert found is not None
    county = client.app.state.county  # type: ignore[attr-defined]
    for status in ("in_progress", "done"):
        update_ticket(
            db=db, county=county, ticket=found, update=TicketUpdate(status=status), actor="anna"
        )


def age_conversation(db: Session, conversation_id: str, days: int) -> None:
    """Everything of the conversation happened `days` ago."""
    then = utcnow() - timedelta(days=days)
    for model in (Message, ContactRequest, Feedback):
        db.execute(
            update(model).where(model.conversation_id == conversation_id).values(created_at=then)
        )
    db.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id)
        .values(created_at=then, updated_at=then)
    )
    db.commit()


def age_ticket(db: Session, reference: str, days: int) -> None:
    """The ticket and its history are `days` old."""
    then = utcnow() - timedelta(days=days)
    found = ticket(db, reference)
    assert found is not None
    db.execute(update(Ticket).where(Ticket.id == found.id).values(created_at=then, updated_at=then))
    db.execute(update(TicketEvent).where(TicketEvent.ticket_id == found.id).values(created_at=then))
    db.commit()
    db.expire_all()


def exists(db: Session, conversation_id: str) -> bool:
    return db.get(Conversation, conversation_id) is not None


def count(db: Session, model: Any, **where: Any) -> int:
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db.scalar(query) or 0


def test_transcripts_untouched_for_the_period_are_purged_with_their_messages(
    client: TestClient, db: Session
) -> None:
    old, old_headers = conversation(client, "hei", "missä on terveysasema")
    client.post(f"/api/v1/conversations/{old}/feedback", json={"rating": 5}, headers=old_headers)
    recent, _ = conversation(client, "hei")
    age_conversation(db, old, TRANSCRIPT_DAYS + 1)
    age_conversation(db, recent, TRANSCRIPT_DAYS - 1)

    counts = run_purge(db)

    assert (counts.conversations, counts.messages, counts.feedback) == (1, 4, 1)
    assert not exists(db, old)
    assert count(db, Message, conversation_id=old) == 0
    assert count(db, Feedback, conversation_id=old) == 0
    assert exists(db, recent)
    assert client.get(f"/api/v1/conversations/{old}", headers=old_headers).status_code == 404


def test_a_new_message_keeps_an_old_conversation(client: TestClient, db: Session) -> None:
    conversation_id, headers = conversation(client, "hei")
    age_conversation(db, conversation_id, TRANSCRIPT_DAYS + 10)
    client.post(
        f"/api/v1/conversations/{conversation_id}/messages", json={"text": "ok"}, headers=headers
    )
    assert run_purge(db).conversations == 0
    assert exists(db, conversation_id)


def test_an_open_ticket_keeps_its_transcript_until_it_is_done_and_the_period_has_passed(
    client: TestClient, db: Session
) -> None:
    conversation_id, _, reference = with_ticket(client)
    age_conversation(db, conversation_id, 1000)
    age_ticket(db, reference, 1000)
    assert run_purge(db) == PurgeCounts(0, 0, 0, 0, 0, 0, 0, 0)  # open: nothing goes
    assert exists(db, conversation_id)

    finish(client, db, reference)
    assert run_purge(db).conversations == 0  # done today: the period starts now
    assert exists(db, conversation_id)

    age_ticket(db, reference, TRANSCRIPT_DAYS + 1)
    counts = run_purge(db)
    assert (counts.conversations, counts.contact_requests, counts.tickets) == (1, 1, 0)
    assert not exists(db, conversation_id)
    kept = ticket(db, reference)  # the done ticket stays for its own period, unlinked
    assert kept is not None
    assert (kept.status, kept.conversation_id) == ("done", None)


def test_closed_tickets_are_purged_with_their_history_and_open_ones_never(
    client: TestClient, db: Session
) -> None:
    tickets = {name: with_ticket(client)[2] for name in ("old", "recent", "noted", "open")}
    for name in ("old", "recent", "noted"):
        finish(client, db, tickets[name])
    age_ticket(db, tickets["old"], TICKET_DAYS + 1)
    age_ticket(db, tickets["recent"], TICKET_DAYS - 1)
    age_ticket(db, tickets["noted"], TICKET_DAYS + 1)
    age_ticket(db, tickets["open"], TICKET_DAYS * 5)
    noted = ticket(db, tickets["noted"])
    assert noted is not None
    add_note(db=db, ticket=noted, actor="anna", text="Soitettu uudelleen.")  # touched today
    old_id = ticket(db, tickets["old"]).id  # type: ignore[union-attr]

    counts = run_purge(db)

    assert (counts.tickets, counts.ticket_events) == (1, 3)  # created, in_progress, done
    assert ticket(db, tickets["old"]) is None
    assert count(db, TicketEvent, ticket_id=old_id) == 0
    for name in ("recent", "noted", "open"):
        assert ticket(db, tickets[name]) is not None, name


def test_unanswered_questions_are_purged_after_the_transcript_period(db: Session) -> None:
    old = record(db=db, text="missä on uimahalli", language="fi").id
    recent = record(db=db, text="missä on kirjasto", language="fi").id
    db.execute(
        update(UnansweredQuestion)
        .where(UnansweredQuestion.id == old)
        .values(created_at=utcnow() - timedelta(days=TRANSCRIPT_DAYS + 1))
    )
    db.commit()
    assert run_purge(db).unanswered_questions == 1
    remaining = db.scalars(select(UnansweredQuestion.id)).all()
    assert old not in remaining and recent in remaining


def test_expired_console_sessions_are_purged(db: Session) -> None:
    advisor = create_advisor(
        db=db, username="anna", display_name="Anna", password="salasana-123456", teams=[]
    )
    now = utcnow()
    for token_hash, expires_at in (
        ("a" * 64, now - timedelta(minutes=1)),
        ("b" * 64, now + timedelta(hours=8)),
    ):
        db.add(
            ConsoleSession(
                token_hash=token_hash,
                csrf_token="c" * 64,
                advisor_id=advisor.id,
                expires_at=expires_at,
            )
        )
    db.commit()
    assert run_purge(db).console_sessions == 1
    assert db.scalars(select(ConsoleSession.token_hash)).all() == ["b" * 64]


def test_a_dry_run_counts_and_deletes_nothing(client: TestClient, db: Session) -> None:
    old, _ = conversation(client, "hei")
    age_conversation(db, old, TRANSCRIPT_DAYS + 1)
    dry = run_purge(db, dry_run=True)
    assert (dry.conversations, dry.messages) == (1, 2)
    assert exists(db, old)
    assert run_purge(db) == dry
    assert not exists(db, old)


def test_the_command_purges_the_configured_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'neuvo.db'}"
    migrate(url)
    engine = make_engine(url)
    then = utcnow() - timedelta(days=31)
    with make_session_factory(engine)() as db:
        for conversation_id, when in (("old", then), ("new", utcnow())):
            db.add(
                Conversation(
                    id=conversation_id,
                    token_hash="0" * 64,
                    language="fi",
                    created_at=when,
                    updated_at=when,
                )
            )
            db.flush()
            db.add(
                Message(
                    conversation_id=conversation_id,
                    sender="resident",
                    text="hei",
                    language="fi",
                    created_at=when,
                )
            )
        db.commit()
    trackers_url = f"sqlite:///{tmp_path / 'rasa_trackers.db'}"
    rasa_store(trackers_url, [("old", then.timestamp()), ("new", utcnow().timestamp())]).dispose()
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "HANDOFF_RETENTION_DAYS": "30",
        "HANDOFF_CLOSED_TICKET_RETENTION_DAYS": "100",
        "RASA_TRACKER_STORE_URL": trackers_url,  # never a developer's var/rasa_trackers.db
    }

    def command(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "handoff.retention", "purge", *args],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return done.stdout

    dry = command("--dry-run")
    assert dry.splitlines()[0] == (
        "would purge (transcripts after 30 days, closed tickets after 100 days):"
    )
    assert "conversations: 1\nmessages: 1\n" in dry
    assert "rasa_trackers: 1\nrasa_tracker_events: 1\n" in dry
    purged = command()
    assert "conversations: 1\nmessages: 1\n" in purged
    assert "rasa_trackers: 1\nrasa_tracker_events: 1\n" in purged
    assert "conversations: 0\nmessages: 0\n" in command()
    with make_session_factory(engine)() as db:
        assert db.scalars(select(Conversation.id)).all() == ["new"]
    engine.dispose()
    environment["RASA_TRACKER_STORE_URL"] = ""
    assert "rasa_trackers: skipped" in command()


# --- Rasa's tracker store ---

# The table as Rasa's SQLTrackerStore declares and creates it (rasa/core/tracker_store.py).
RASA_EVENTS = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


def rasa_store(url: str, events: list[tuple[str, float]]) -> Engine:
    """A tracker store with Rasa's table and one user event per (sender, unix time)."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).touch()  # Rasa creates the file when it starts
    engine = tracker_store_engine(url)
    assert engine is not None
    RASA_EVENTS.metadata.create_all(engine)
    with engine.begin() as connection:
        for sender, at in events:
            connection.execute(
                insert(RASA_EVENTS).values(
                    sender_id=sender,
                    type_name="user",
                    timestamp=at,
                    data='{"event": "user", "text": "040 123 4567"}',
                )
            )
    return engine


def senders(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        query = select(RASA_EVENTS.c.sender_id).distinct().order_by(RASA_EVENTS.c.sender_id)
        return list(connection.execute(query).scalars())


def test_rasa_trackers_of_old_and_deleted_conversations_are_purged(
    client: TestClient, db: Session, tmp_path: Path
) -> None:
    recent, _ = conversation(client, "hei")
    old, _ = conversation(client, "hei")
    deleted, deleted_headers = conversation(client, "hei")
    assert client.delete(f"/api/v1/conversations/{deleted}", headers=deleted_headers).status_code
    now = utcnow().timestamp()
    hour = 3600.0
    store = rasa_store(
        f"sqlite:///{tmp_path / 'rasa_trackers.db'}",
        [
            (recent, now - 91 * 24 * hour),  # an old start, but active today: kept
            (recent, now - 60),
            (old, now - 91 * 24 * hour),  # the service keeps it, but Rasa's copy is too old
            (deleted, now - 2 * hour),  # the resident deleted the conversation
            ("started-just-now", now - 60),  # not (yet) in the service's database: kept
        ],
    )

    dry = purge_rasa_trackers(db=db, tracker_store=store, transcript_days=90, dry_run=True)
    assert (dry.trackers, dry.tracker_events) == (2, 2)
    assert len(senders(store)) == 4
    counts = purge_rasa_trackers(db=db, tracker_store=store, transcript_days=90)

    assert counts == dry
    assert senders(store) == sorted([recent, "started-just-now"])
    store.dispose()


def test_a_tracker_store_the_service_does_not_know_loses_only_old_trackers(
    db: Session, tmp_path: Path
) -> None:
    """A purge run with the wrong DATABASE_URL must not empty the live tracker store."""
    now = utcnow().timestamp()
    store = rasa_store(
        f"sqlite:///{tmp_path / 'rasa_trackers.db'}",
        [("someone-else", now - 7200), ("someone-old", now - 100 * 24 * 3600)],
    )
    assert purge_rasa_trackers(db=db, tracker_store=store, transcript_days=90).trackers == 1
    assert senders(store) == ["someone-else"]
    store.dispose()


def test_a_tracker_store_that_rasa_has_not_created_is_left_alone(
    db: Session, tmp_path: Path
) -> None:
    assert tracker_store_engine("") is None
    assert tracker_store_engine(f"sqlite:///{tmp_path / 'missing.db'}") is None
    assert not (tmp_path / "missing.db").exists()
    empty = tmp_path / "empty.db"
    empty.touch()
    engine = tracker_store_engine(f"sqlite:///{empty}")
    assert engine is not None
    assert purge_rasa_trackers(db=db, tracker_store=engine, transcript_days=90).trackers == 0
    engine.dispose()


def test_a_postgresql_tracker_store_is_purged_through_psycopg(db: Session) -> None:
    """Rasa's URL (postgresql://, for psycopg2) works with the service's psycopg 3."""
    with throwaway_postgres_database("neuvo_rasa_test") as database_url:
        url = make_url(database_url).set(drivername="postgresql")
        store = rasa_store(
            url.render_as_string(hide_password=False),
            [("gone-long-ago", utcnow().timestamp() - 100 * 24 * 3600)],
        )
        assert store.dialect.driver == "psycopg"
        assert purge_rasa_trackers(db=db, tracker_store=store, transcript_days=90).trackers == 1
        assert senders(store) == []
        store.dispose()
