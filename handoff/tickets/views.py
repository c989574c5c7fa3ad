"""Turning ticket rows into API bodies (needs the county for the task names)."""

from typing import cast

from handoff.conversations.models import Conversation
from handoff.conversations.schemas import TranscriptMessage
from handoff.county.schema import CountyConfig
from handoff.routing.service import find_task
from handoff.tickets.models import Ticket
from handoff.tickets.public import Status, TicketPublic, Urgency
from handoff.tickets.schemas import TicketDetail, TicketEventOut


def task_name(county: CountyConfig, task_id: str, language: str) -> str:
    task = find_task(county, task_id)
    return task.name(language) if task else task_id


def public_view(county: CountyConfig, ticket: Ticket) -> TicketPublic:
    return TicketPublic(
        reference=ticket.reference,
        service_area=ticket.service_area,
        municipality=ticket.municipality,
        service_task=ticket.service_task,
        service_task_name=task_name(county, ticket.service_task, ticket.language),
        status=cast(Status, ticket.status),
        due_date=ticket.due_date,
        urgency=cast(Urgency, ticket.urgency),
    )


def detail_view(ticket: Ticket, conversation: Conversation | None) -> TicketDetail:
    return TicketDetail(
        reference=ticket.reference,
        service_area=ticket.service_area,
        municipality=ticket.municipality,
        service_task=ticket.service_task,
        language="sv" if ticket.language == "sv" else "fi",
        urgency=cast(Urgency, ticket.urgency),
        status=cast(Status, ticket.status),
        created_at=ticket.created_at,
        due_date=ticket.due_date,
        concerns=ticket.concerns,
        age_hint=ticket.age_hint,
        contact_phone=ticket.contact_phone,
        contact_name=ticket.contact_name,
        contact_time=ticket.contact_time,
        resident_words=ticket.resident_words,
        need_summary=ticket.need_summary,
        conversation_id=ticket.conversation_id,
        history=[TicketEventOut.model_validate(event) for event in ticket.events],
        transcript=[TranscriptMessage.model_validate(m) for m in conversation.messages]
        if conversation
        else [],
    )
