"""Tickets: a resident's matter on a service task's worklist, with its history."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from handoff.db import Base, UTCDateTime, utcnow

STATUSES = ("new", "in_progress", "done")
URGENCIES = ("emergency", "crisis", "concern", "none")
CONCERNS = ("self", "close_person", "other")


class Ticket(Base):
    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    conversation_id: Mapped[str | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL"), index=True
    )
    service_area: Mapped[str | None] = mapped_column(String(32))
    service_task: Mapped[str] = mapped_column(String(64), index=True)
    municipality: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(2))
    urgency: Mapped[str] = mapped_column(String(16))
    concerns: Mapped[str | None] = mapped_column(String(16))
    age_hint: Mapped[str | None] = mapped_column(String(32))
    contact_phone: Mapped[str] = mapped_column(String(32))
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_time: Mapped[str | None] = mapped_column(String(200))
    resident_words: Mapped[str] = mapped_column(Text)
    need_summary: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="new", index=True)
    assignee: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    due_date: Mapped[date] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    events: Mapped[list["TicketEvent"]] = relationship(
        back_populates="ticket", order_by="TicketEvent.id", cascade="all, delete-orphan"
    )


class TicketEvent(Base):
    """One change of a ticket: created, a status change, or a reroute with its reason."""

    __tablename__ = "ticket_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # created | status | reroute | claim | note
    from_value: Mapped[str | None] = mapped_column(String(64))
    to_value: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    ticket: Mapped[Ticket] = relationship(back_populates="events")
