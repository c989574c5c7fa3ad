"""Every database query about tickets. Adds and flushes; never commits."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from handoff.tickets.models import Ticket, TicketEvent


def add_ticket(*, db: Session, ticket: Ticket) -> Ticket:
    db.add(ticket)
    db.flush()
    return ticket


def add_event(
    *, db: Session, ticket: Ticket, kind: str, actor: str, **values: str | None
) -> TicketEvent:
    event = TicketEvent(ticket_id=ticket.id, kind=kind, actor=actor, **values)
    db.add(event)
    db.flush()
    return event


def by_reference(*, db: Session, reference: str) -> Ticket | None:
    return db.scalars(select(Ticket).where(Ticket.reference == reference)).first()


def by_idempotency_key(*, db: Session, key: str) -> Ticket | None:
    return db.scalars(select(Ticket).where(Ticket.idempotency_key == key)).first()


def reference_exists(*, db: Session, reference: str) -> bool:
    return db.scalar(select(Ticket.id).where(Ticket.reference == reference)) is not None


def created_in_conversation_since(
    *, db: Session, conversation_id: str, since: datetime
) -> Ticket | None:
    """The newest ticket of a conversation created at or after `since`."""
    return db.scalars(
        select(Ticket)
        .where(Ticket.conversation_id == conversation_id, Ticket.created_at >= since)
        .order_by(Ticket.id.desc())
    ).first()


def list_tickets(
    *,
    db: Session,
    status: str | None = None,
    service_task: str | None = None,
    service_area: str | None = None,
    municipality: str | None = None,
    language: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Ticket]:
    query = select(Ticket)
    for column, value in (
        (Ticket.status, status),
        (Ticket.service_task, service_task),
        (Ticket.service_area, service_area),
        (Ticket.municipality, municipality),
        (Ticket.language, language),
    ):
        if value is not None:
            query = query.where(column == value)
    return list(db.scalars(query.order_by(Ticket.due_date, Ticket.id).limit(limit).offset(offset)))
