"""Purging Rasa's SQL tracker store, which keeps every message as the resident wrote it.

Rasa must see the words unmasked (its forms read the phone number), so its tracker store cannot
be masked; it can be kept short. The conversation id is Rasa's sender id. Deleted are the events
of a sender (a) whose newest event is older than the transcript period, or (b) that is no
longer a conversation of the service (the resident deleted it, or it was purged), once it has
been quiet for an hour, so that a conversation started during the purge is never touched, and
only if the service knows at least one tracker of the store (the two belong together).
Rasa's SQLTrackerStore reads the database on every message and keeps no copy of its own.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import (
    Column,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    delete,
    func,
    inspect,
    select,
)
from sqlalchemy.engine import make_url

from handoff.retention.repository import batches

# The columns of Rasa's SQLTrackerStore table that the purge reads (Rasa creates the table).
_EVENTS = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("timestamp", Float),
)
ORPHAN_GRACE = timedelta(hours=1)


@dataclass(frozen=True)
class TrackerCounts:
    trackers: int
    tracker_events: int


def tracker_store_engine(url: str) -> Engine | None:
    """An engine on Rasa's tracker store, or None when there is nothing to purge (no URL, or a
    SQLite file that does not exist). PostgreSQL URLs are opened with psycopg 3."""
    if not url:
        return None
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or not Path(parsed.database).is_file():
            return None
    elif parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")  # Rasa uses psycopg2
    return create_engine(parsed)


def purge_trackers(
    *,
    engine: Engine,
    conversation_ids: Collection[str],
    cutoff: datetime,
    now: datetime,
    dry_run: bool = False,
) -> TrackerCounts:
    """Delete the trackers past the transcript period or of conversations that are gone."""
    if not inspect(engine).has_table("events"):
        return TrackerCounts(0, 0)  # Rasa has not run against this store yet
    quiet_since = (now - ORPHAN_GRACE).timestamp()
    with engine.begin() as connection:
        newest = connection.execute(
            select(_EVENTS.c.sender_id, func.max(_EVENTS.c.timestamp)).group_by(_EVENTS.c.sender_id)
        ).all()
        # Orphans are judged only when the two stores belong together (the service knows at
        # least one of the trackers): a purge run against the wrong service database must not
        # empty a live tracker store.
        related = any(sender in conversation_ids for sender, _ in newest)
        senders = [
            sender
            for sender, last in newest
            if (last or 0) < cutoff.timestamp()
            or (related and sender not in conversation_ids and (last or 0) < quiet_since)
        ]
        events = 0
        for batch in batches(senders):
            condition = _EVENTS.c.sender_id.in_(batch)
            if dry_run:
                events += connection.scalar(select(func.count()).where(condition)) or 0
            else:
                events += connection.execute(delete(_EVENTS).where(condition)).rowcount
    return TrackerCounts(trackers=len(senders), tracker_events=events)
