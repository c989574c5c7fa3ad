"""The retention queries: what has expired, how much hangs on it, and deleting it. Never commits.

Children go with their rows through the database's foreign keys: a conversation's messages,
contact requests and feedback (ON DELETE CASCADE), a ticket's events (CASCADE); a ticket made
from a purged conversation only loses its link (SET NULL).
"""

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, delete, exists, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from handoff.advisors.models import ConsoleSession
from handoff.conversations.models import Conversation, Message
from handoff.feedback.models import Feedback
from handoff.tickets.models import Ticket, TicketEvent
from handoff.unanswered.models import UnansweredQuestion

BATCH = 500  # ids per DELETE … IN (…), well below every backend's limit of bound parameters
Id = TypeVar("Id", str, int)


def _ticket_touched_since(cutoff: datetime) -> ColumnElement[bool]:
    """The ticket changed at or after `cutoff`: its row, or a new event in its history."""
    return or_(
        Ticket.updated_at >= cutoff,
        exists().where(TicketEvent.ticket_id == Ticket.id, TicketEvent.created_at >= cutoff),
    )


def expired_conversation_ids(*, db: Session, cutoff: datetime) -> list[str]:
    """Conversations in which nothing has happened since `cutoff` (no message, state change,
    feedback, or change of a ticket made from it) and none of whose tickets is open."""
    query = select(Conversation.id).where(
        Conversation.updated_at < cutoff,
        ~exists().where(Message.conversation_id == Conversation.id, Message.created_at >= cutoff),
        ~exists().where(Feedback.conversation_id == Conversation.id, Feedback.created_at >= cutoff),
        ~exists().where(
            Ticket.conversation_id == Conversation.id,
            or_(Ticket.status != "done", _ticket_touched_since(cutoff)),
        ),
    )
    return list(db.scalars(query.order_by(Conversation.created_at)))


def all_conversation_ids(*, db: Session) -> set[str]:
    return set(db.scalars(select(Conversation.id)))


def expired_ticket_ids(*, db: Session, cutoff: datetime) -> list[int]:
    """Tickets that are done and have not changed since `cutoff`. Open tickets never expire."""
    query = select(Ticket.id).where(Ticket.status == "done", ~_ticket_touched_since(cutoff))
    return list(db.scalars(query.order_by(Ticket.id)))


def batches(ids: Sequence[Id]) -> Iterator[Sequence[Id]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def count_where_in(*, db: Session, column: InstrumentedAttribute[Any], ids: Sequence[Any]) -> int:
    """How many rows of `column`'s table refer to one of `ids`."""
    total = 0
    for batch in batches(ids):
        total += db.scalar(select(func.count()).where(column.in_(batch))) or 0
    return total


def delete_conversations(*, db: Session, ids: Sequence[str]) -> int:
    deleted = 0
    for batch in batches(ids):
        result = db.execute(
            delete(Conversation).where(Conversation.id.in_(batch)),
            execution_options={"synchronize_session": False},
        )
        deleted += result.rowcount  # type: ignore[attr-defined]
    return deleted


def delete_tickets(*, db: Session, ids: Sequence[int]) -> int:
    deleted = 0
    for batch in batches(ids):
        result = db.execute(
            delete(Ticket).where(Ticket.id.in_(batch)),
            execution_options={"synchronize_session": False},
        )
        deleted += result.rowcount  # type: ignore[attr-defined]
    return deleted


def unanswered_before(*, db: Session, cutoff: datetime, remove: bool) -> int:
    """Unanswered questions recorded before `cutoff`: counted, and deleted if `remove`."""
    condition = UnansweredQuestion.created_at < cutoff
    if not remove:
        return db.scalar(select(func.count()).where(condition)) or 0
    result = db.execute(
        delete(UnansweredQuestion).where(condition),
        execution_options={"synchronize_session": False},
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def console_sessions_expired(*, db: Session, now: datetime, remove: bool) -> int:
    """Console sessions past their expiry: counted, and deleted if `remove`."""
    condition = ConsoleSession.expires_at < now
    if not remove:
        return db.scalar(select(func.count()).where(condition)) or 0
    result = db.execute(
        delete(ConsoleSession).where(condition),
        execution_options={"synchronize_session": False},
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
