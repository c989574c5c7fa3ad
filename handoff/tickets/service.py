"""Tickets: creation with routing and due date, advisors' changes, residents' status lookup."""

import hmac
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from handoff.conversations import contact_phones
from handoff.county.schema import CountyConfig
from handoff.errors import Conflict, Invalid
from handoff.privacy import mask_personal_data
from handoff.routing.service import canonical_municipality, feedback_task, find_task, route
from handoff.texts import resident_text
from handoff.tickets import repository
from handoff.tickets.due_dates import WorkingDays
from handoff.tickets.models import Ticket
from handoff.tickets.references import new_reference
from handoff.tickets.schemas import TicketCreate, TicketUpdate

ALLOWED_TRANSITIONS = {("new", "in_progress"), ("in_progress", "done")}


@dataclass(frozen=True)
class TicketDesk:
    """What creating a ticket needs besides the database: the county and its calendar."""

    county: CountyConfig
    calendar: WorkingDays


PRIORITY_URGENCIES = ("crisis", "emergency")


def county_today(county: CountyConfig, now: datetime | None = None) -> date:
    """Today's date in the county's time zone."""
    zone = ZoneInfo(county.county.timezone)
    return (now.astimezone(zone) if now else datetime.now(zone)).date()


def need_summary(county: CountyConfig, ticket: Ticket) -> str:
    """What was identified, then the resident's own words, in the ticket's language."""
    language = ticket.language

    def label(key: str) -> str:
        return resident_text(key, language)

    unknown = label("summary_unknown")
    area = county.service_areas.get(ticket.service_area) if ticket.service_area else None  # type: ignore[call-overload]
    time_key = f"contact_time_{ticket.contact_time}"
    contact_time = (
        label(time_key)
        if ticket.contact_time in ("morning", "afternoon", "any")
        else ticket.contact_time or unknown
    )
    concerns = label(f"concerns_{ticket.concerns}") if ticket.concerns else unknown
    lines = [
        f"{label('summary_concerns')}: {concerns}",
        f"{label('summary_service_area')}: {area(language) if area else unknown}",
        f"{label('summary_municipality')}: {ticket.municipality or unknown}",
        f"{label('summary_age')}: {ticket.age_hint or unknown}",
        f"{label('summary_urgency')}: {label(f'urgency_{ticket.urgency}')}",
        f"{label('summary_contact_time')}: {contact_time}",
        f"{label('summary_words')}:\n{ticket.resident_words}",
    ]
    return "\n".join(lines)


def create_ticket(
    *,
    db: Session,
    county: CountyConfig,
    calendar: WorkingDays,
    data: TicketCreate,
    idempotency_key: str | None,
    actor: str,
    now: datetime | None = None,
    feedback: bool = False,
) -> tuple[Ticket, bool]:
    """Route, date and store a ticket; the same idempotency key always gives the same ticket.

    Returns the ticket and whether it was created now. `feedback` puts it on the county's
    feedback worklist (the general one if the county has none).
    """
    if idempotency_key:
        existing = repository.by_idempotency_key(db=db, key=idempotency_key)
        if existing is not None:
            return existing, False
    # The action server sends [phone:NNNN]: the number itself never went through the bot.
    contact_phone = contact_phones.resolve(
        db=db, conversation_id=data.conversation_id, contact_phone=data.contact_phone
    )
    municipality = canonical_municipality(county, data.municipality)
    task = route(county, service_area=data.service_area, municipality=municipality)
    if feedback:
        task = feedback_task(county) or task
    days = county.service_promises[task.promise].working_days
    if data.urgency in PRIORITY_URGENCIES:
        days = 0  # a crisis is handled the same day
    reference = new_reference(county.county.reference_prefix)
    while repository.reference_exists(db=db, reference=reference):
        reference = new_reference(county.county.reference_prefix)
    ticket = Ticket(
        reference=reference,
        idempotency_key=idempotency_key,
        conversation_id=data.conversation_id,
        service_area=data.service_area,
        service_task=task.id,
        municipality=municipality,
        language=data.language,
        urgency=data.urgency,
        concerns=data.concerns,
        age_hint=data.age_hint,
        contact_phone=contact_phone,
        contact_name=data.contact_name,
        contact_time=data.contact_time,
        # The contact phone is kept in contact_phone only; any number in the words is masked.
        resident_words=mask_personal_data(data.resident_words),
        need_summary="",
        status="new",
        due_date=calendar.add(county_today(county, now), days),
    )
    ticket.need_summary = need_summary(county, ticket)
    try:
        repository.add_ticket(db=db, ticket=ticket)
        repository.add_event(db=db, ticket=ticket, kind="created", actor=actor, to_value=task.id)
        contact_phones.forget(db=db, conversation_id=data.conversation_id)
        db.commit()
    except IntegrityError:
        # The same consent arrived twice at the same moment: the other request created it.
        db.rollback()
        if idempotency_key:
            existing = repository.by_idempotency_key(db=db, key=idempotency_key)
            if existing is not None:
                return existing, False
        raise
    return ticket, True


def update_ticket(
    *, db: Session, county: CountyConfig, ticket: Ticket, update: TicketUpdate, actor: str
) -> Ticket:
    """Change the status (new → in_progress → done) and/or reroute with a reason; history kept."""
    if update.status is None and update.service_task is None:
        raise Invalid("nothing to change: give status and/or service_task")
    if update.service_task is not None and update.service_task != ticket.service_task:
        if find_task(county, update.service_task) is None:
            raise Invalid(f"unknown service task {update.service_task!r}")
        if not (update.reason and update.reason.strip()):
            raise Invalid("rerouting needs a reason")
        repository.add_event(
            db=db,
            ticket=ticket,
            kind="reroute",
            actor=actor,
            from_value=ticket.service_task,
            to_value=update.service_task,
            reason=update.reason.strip(),
        )
        ticket.service_task = update.service_task
    if update.status is not None and update.status != ticket.status:
        if (ticket.status, update.status) not in ALLOWED_TRANSITIONS:
            raise Conflict(f"a ticket cannot go from {ticket.status} to {update.status}")
        repository.add_event(
            db=db,
            ticket=ticket,
            kind="status",
            actor=actor,
            from_value=ticket.status,
            to_value=update.status,
            reason=update.reason,
        )
        ticket.status = update.status
    db.commit()
    return ticket


def find_for_resident(
    *,
    db: Session,
    reference: str,
    phone_last4: str | None = None,
    conversation_id: str | None = None,
) -> Ticket | None:
    """The ticket if the reference and the last four digits of the phone (or the conversation
    that created it) match, else None."""
    ticket = repository.by_reference(db=db, reference=reference.strip().upper())
    if conversation_id is not None:
        expected, given = (ticket.conversation_id or "") if ticket else "-", conversation_id
    else:
        expected, given = ticket.contact_phone[-4:] if ticket else "----", phone_last4 or ""
    proof_matches = hmac.compare_digest(expected.encode(), given.strip().encode())
    return ticket if ticket is not None and proof_matches else None


def claim_ticket(*, db: Session, ticket: Ticket, actor: str) -> Ticket:
    """The advisor takes the ticket: they become its assignee and a new ticket goes in progress."""
    if ticket.status == "done":
        raise Conflict("a ticket that is done cannot be claimed")
    if ticket.assignee != actor:
        repository.add_event(
            db=db,
            ticket=ticket,
            kind="claim",
            actor=actor,
            from_value=ticket.assignee,
            to_value=actor,
        )
        ticket.assignee = actor
    if ticket.status == "new":
        repository.add_event(
            db=db,
            ticket=ticket,
            kind="status",
            actor=actor,
            from_value="new",
            to_value="in_progress",
        )
        ticket.status = "in_progress"
    db.commit()
    return ticket


MAX_NOTE_LENGTH = 4000


def add_note(*, db: Session, ticket: Ticket, actor: str, text: str) -> None:
    """An internal note for advisors (residents never see notes)."""
    text = text.strip()
    if not text:
        raise Invalid("the note is empty")
    if len(text) > MAX_NOTE_LENGTH:
        raise Invalid(f"the note is too long: at most {MAX_NOTE_LENGTH} characters")
    repository.add_event(db=db, ticket=ticket, kind="note", actor=actor, reason=text)
    db.commit()
