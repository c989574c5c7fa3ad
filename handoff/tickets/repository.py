"""Every database query about tickets. Adds and flushes; never commits."""

from datetime import date, datetime

from sqlalchemy import func, select
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


def of_conversation(*, db: Session, conversation_id: str) -> list[Ticket]:
    query = select(Ticket).where(Ticket.conversation_id == conversation_id).order_by(Ticket.id)
    return list(db.scalars(query))


def counts_by_task(*, db: Session, tasks: list[str]) -> dict[str, dict[str, int]]:
    """Per service task: the number of tickets per status."""
    rows = db.execute(
        select(Ticket.service_task, Ticket.status, func.count())
        .where(Ticket.service_task.in_(tasks))
        .group_by(Ticket.service_task, Ticket.status)
    )
    counts: dict[str, dict[str, int]] = {task: {} for task in tasks}
    for task, status, count in rows:
        counts[task][status] = count
    return counts


def overdue_by_task(*, db: Session, tasks: list[str], today: date) -> dict[str, int]:
    """Per service task: open tickets whose due date has passed."""
    rows = db.execute(
        select(Ticket.service_task, func.count())
        .where(Ticket.service_task.in_(tasks), Ticket.status != "done", Ticket.due_date < today)
        .group_by(Ticket.service_task)
    )
    return {task: count for task, count in rows}


def worklist(*, db: Session, service_task: str, include_done: bool = False) -> list[Ticket]:
    """A service task's tickets: open ones soonest due first (done ones last, newest first)."""
    query = select(Ticket).where(Ticket.service_task == service_task)
    if not include_done:
        query = query.where(Ticket.status != "done")
    return list(db.scalars(query.order_by(Ticket.status == "done", Ticket.due_date, Ticket.id)))
