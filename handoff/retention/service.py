"""Purging what has outlived its retention period (run daily by `python -m handoff.retention`).

- Transcripts: a conversation in which nothing has happened for `transcript_days` is deleted with
  its messages, contact requests and feedback, unless a ticket made from it is still open (the
  transcript is then kept until the ticket is done and the period has passed since).
- Unanswered questions (masked already) older than `transcript_days`.
- Tickets that are done and unchanged for `closed_ticket_days`, with their history. Open tickets
  are never purged.
- Console sessions past their expiry.
- Rasa's tracker store (rasa_trackers.py): trackers past the transcript period, and those of
  conversations that are gone.
"""

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from handoff.conversations.models import ContactRequest, Message
from handoff.db import utcnow
from handoff.feedback.models import Feedback
from handoff.retention import repository
from handoff.retention.rasa_trackers import TrackerCounts, purge_trackers
from handoff.tickets.models import TicketEvent


@dataclass(frozen=True)
class PurgeCounts:
    """What was purged (or, in a dry run, would be)."""

    conversations: int
    messages: int
    contact_requests: int
    feedback: int
    tickets: int
    ticket_events: int
    unanswered_questions: int
    console_sessions: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def purge(
    *,
    db: Session,
    transcript_days: int,
    closed_ticket_days: int,
    now: datetime | None = None,
    dry_run: bool = False,
) -> PurgeCounts:
    """Delete everything past its period in one transaction (nothing in a dry run); the counts."""
    now = now or utcnow()
    transcript_cutoff = now - timedelta(days=transcript_days)
    ticket_cutoff = now - timedelta(days=closed_ticket_days)

    # Tickets first: a conversation whose last done ticket goes now is free to go in this run.
    ticket_ids = repository.expired_ticket_ids(db=db, cutoff=ticket_cutoff)
    ticket_events = repository.count_where_in(db=db, column=TicketEvent.ticket_id, ids=ticket_ids)
    if not dry_run:
        repository.delete_tickets(db=db, ids=ticket_ids)

    conversation_ids = repository.expired_conversation_ids(db=db, cutoff=transcript_cutoff)
    counts = PurgeCounts(
        conversations=len(conversation_ids),
        messages=repository.count_where_in(
            db=db, column=Message.conversation_id, ids=conversation_ids
        ),
        contact_requests=repository.count_where_in(
            db=db, column=ContactRequest.conversation_id, ids=conversation_ids
        ),
        feedback=repository.count_where_in(
            db=db, column=Feedback.conversation_id, ids=conversation_ids
        ),
        tickets=len(ticket_ids),
        ticket_events=ticket_events,
        unanswered_questions=repository.unanswered_before(
            db=db, cutoff=transcript_cutoff, remove=not dry_run
        ),
        console_sessions=repository.console_sessions_expired(db=db, now=now, remove=not dry_run),
    )
    if dry_run:
        return counts
    repository.delete_conversations(db=db, ids=conversation_ids)
    db.commit()
    db.expire_all()  # objects loaded before hold rows and links that are gone now
    return counts


def purge_rasa_trackers(
    *,
    db: Session,
    tracker_store: Engine,
    transcript_days: int,
    now: datetime | None = None,
    dry_run: bool = False,
) -> TrackerCounts:
    """Rasa's trackers past the transcript period, and of conversations the service no longer
    has (run after `purge`, so that the transcripts it purged count as gone)."""
    now = now or utcnow()
    return purge_trackers(
        engine=tracker_store,
        conversation_ids=repository.all_conversation_ids(db=db),
        cutoff=now - timedelta(days=transcript_days),
        now=now,
        dry_run=dry_run,
    )
