"""Ticket API bodies: creation by the action server, the advisor API, the status lookup."""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from handoff.conversations.phone import compact_phone_number, is_phone_number
from handoff.conversations.schemas import Language, TranscriptMessage
from handoff.privacy import PHONE_REFERENCE
from handoff.tickets.public import Status, TicketPublic, Urgency

__all__ = ["Status", "TicketPublic", "Urgency"]

Concerns = Literal["self", "close_person", "other"]
ServiceAreaName = Literal["lanupe", "working_age", "elderly", "disability"]


class TicketCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    conversation_id: str | None = None
    service_area: ServiceAreaName | None = None
    municipality: str | None = Field(default=None, max_length=64)
    language: Language
    urgency: Urgency = "concern"
    concerns: Concerns | None = None
    age_hint: str | None = Field(default=None, max_length=32)
    contact_phone: str
    contact_name: str | None = Field(default=None, max_length=200)
    contact_time: str | None = Field(default=None, max_length=200)
    resident_words: str = Field(min_length=1, max_length=20000)

    @field_validator("contact_phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        if PHONE_REFERENCE.fullmatch(value):
            return value  # the service resolves it (handoff.conversations.contact_phones)
        if not is_phone_number(value):
            raise ValueError(
                "contact_phone must be a Finnish phone number, such as 040 123 4567, or the "
                "[phone:NNNN] the bot saw in its place"
            )
        return compact_phone_number(value)


class TicketEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: str
    from_value: str | None
    to_value: str | None
    reason: str | None
    actor: str
    created_at: datetime


class TicketSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    reference: str
    service_area: str | None
    municipality: str | None
    service_task: str
    language: Language
    urgency: Urgency
    status: Status
    created_at: datetime
    due_date: date


class TicketDetail(TicketSummary):
    concerns: str | None
    age_hint: str | None
    contact_phone: str
    contact_name: str | None
    contact_time: str | None
    resident_words: str
    need_summary: str
    conversation_id: str | None
    history: list[TicketEventOut]
    transcript: list[TranscriptMessage]


class TicketUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Status | None = None
    service_task: str | None = None
    reason: str | None = Field(default=None, max_length=2000)


class StatusLookup(BaseModel):
    """The reference and one proof that the asker is the resident: the last four digits of the
    phone number given, or the conversation that created the ticket (the bot sends it for a status
    question in that conversation, whose token already proved who is asking)."""

    model_config = ConfigDict(extra="forbid")

    reference: str = Field(max_length=40)
    phone_last4: str | None = Field(default=None, max_length=20)
    conversation_id: str | None = Field(default=None, max_length=64)

    @model_validator(mode="after")
    def one_proof(self) -> "StatusLookup":
        if (self.phone_last4 is None) == (self.conversation_id is None):
            raise ValueError("give either phone_last4 or conversation_id")
        return self


class StatusLookupResult(BaseModel):
    reference: str
    status: Status
    due_date: date


class TriageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=2000)


class TriageOut(BaseModel):
    language: Language
    urgency: Urgency
    service_area: str | None
    municipality: str | None
    service_task: str
