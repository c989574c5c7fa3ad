"""Tickets: created by the action server, worked by advisors, looked up by residents via the bot."""

from typing import Annotated

from fastapi import APIRouter, Header, Query, Response, status

from handoff.auth.deps import ActionServerDep, AdvisorDep
from handoff.conversations import repository as conversations
from handoff.deps import CalendarDep, CountyDep, SessionDep
from handoff.errors import NotFound
from handoff.tickets import repository, service
from handoff.tickets.models import Ticket
from handoff.tickets.schemas import (
    Status,
    StatusLookup,
    StatusLookupResult,
    TicketCreate,
    TicketDetail,
    TicketPublic,
    TicketSummary,
    TicketUpdate,
)
from handoff.tickets.views import detail_view, public_view

router = APIRouter(prefix="/api/v1/tickets", tags=["tickets"])
NEUTRAL_NOT_FOUND = "no ticket matches this reference and these digits"


@router.post("", response_model=TicketPublic, status_code=status.HTTP_201_CREATED)
def create_ticket(
    body: TicketCreate,
    response: Response,
    db: SessionDep,
    county: CountyDep,
    calendar: CalendarDep,
    token: ActionServerDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> TicketPublic:
    """Create a routed ticket. A repeated Idempotency-Key returns the first ticket (200)."""
    ticket, created = service.create_ticket(
        db=db,
        county=county,
        calendar=calendar,
        data=body,
        idempotency_key=idempotency_key,
        actor=token.name,
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return public_view(county, ticket)


@router.post(
    "/status-lookup",
    response_model=StatusLookupResult,
    responses={404: {"description": NEUTRAL_NOT_FOUND}},
)
def status_lookup(
    body: StatusLookup, db: SessionDep, _token: ActionServerDep
) -> StatusLookupResult:
    """A resident's "how is my matter": the same 404 for an unknown reference and a wrong proof
    (the phone's last four digits, or the conversation that created the ticket)."""
    ticket = service.find_for_resident(
        db=db,
        reference=body.reference,
        phone_last4=body.phone_last4,
        conversation_id=body.conversation_id,
    )
    if ticket is None:
        raise NotFound(NEUTRAL_NOT_FOUND)
    return StatusLookupResult(
        reference=ticket.reference, status=ticket.status, due_date=ticket.due_date
    )


@router.get("", response_model=list[TicketSummary])
def list_tickets(
    db: SessionDep,
    _advisor: AdvisorDep,
    status: Status | None = None,
    service_task: str | None = None,
    service_area: str | None = None,
    municipality: str | None = None,
    language: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,  # the databases take no more
) -> list[TicketSummary]:
    """Tickets, soonest due first, filtered by any of the given fields."""
    tickets = repository.list_tickets(
        db=db,
        status=status,
        service_task=service_task,
        service_area=service_area,
        municipality=municipality,
        language=language,
        limit=limit,
        offset=offset,
    )
    return [TicketSummary.model_validate(ticket) for ticket in tickets]


@router.get("/{reference}", response_model=TicketDetail)
def get_ticket(reference: str, db: SessionDep, _advisor: AdvisorDep) -> TicketDetail:
    """A ticket with its need summary, history and the whole conversation."""
    ticket = repository.by_reference(db=db, reference=reference.upper())
    if ticket is None:
        raise NotFound(f"ticket {reference} not found")
    return _detail(db, ticket)


@router.patch(
    "/{reference}",
    response_model=TicketDetail,
    responses={409: {"description": "Invalid status change"}},
)
def update_ticket(
    reference: str, body: TicketUpdate, db: SessionDep, county: CountyDep, advisor: AdvisorDep
) -> TicketDetail:
    """Change the status (new → in_progress → done) or reroute to another task, with a reason."""
    ticket = repository.by_reference(db=db, reference=reference.upper())
    if ticket is None:
        raise NotFound(f"ticket {reference} not found")
    service.update_ticket(db=db, county=county, ticket=ticket, update=body, actor=advisor.name)
    return _detail(db, ticket)


def _detail(db: SessionDep, ticket: Ticket) -> TicketDetail:
    conversation = (
        conversations.get_conversation(db=db, conversation_id=ticket.conversation_id)
        if ticket.conversation_id
        else None
    )
    return detail_view(ticket, conversation)
