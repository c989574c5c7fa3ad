"""The resident chat API's request and response bodies (the public contract)."""

from datetime import datetime
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from handoff.bot.client import MessageKind
from handoff.conversations.phone import is_phone_number
from handoff.tickets.public import TicketPublic

Language = Literal["fi", "sv"]
Mode = Literal["bot", "queued", "advisor", "closed"]
Sender = Literal["resident", "bot", "advisor", "system"]
MAX_TEXT_LENGTH = 2000
MAX_DESCRIPTION_LENGTH = 2000


class ConversationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    language: Language | None = Field(
        default=None, description="The language of the page the chat was opened on."
    )


class ConversationCreated(BaseModel):
    conversation_id: str
    token: str = Field(description="Send as `Authorization: Bearer <token>`; shown only once.")


def _checked_text(value: str | None, field: str) -> str | None:
    if value is None:
        return None
    if not value.strip():
        raise PydanticCustomError("empty", f"{field} must not be empty")
    if len(value) > MAX_TEXT_LENGTH:
        raise PydanticCustomError(
            "too_long",
            f"{field} is too long: {len(value)} characters, at most {MAX_TEXT_LENGTH} allowed",
        )
    return value


class MessageIn(BaseModel):
    """A resident's message: typed `text`, or the `payload` of a button they chose."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = None
    payload: str | None = None

    @field_validator("text")
    @classmethod
    def _text_ok(cls, value: str | None) -> str | None:
        return _checked_text(value, "text")

    @field_validator("payload")
    @classmethod
    def _payload_ok(cls, value: str | None) -> str | None:
        return _checked_text(value, "payload")

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        if (self.text is None) == (self.payload is None):
            raise PydanticCustomError("one_of", "send either text or payload, not both or neither")
        return self


class ButtonOut(BaseModel):
    title: str
    payload: str


class BotMessageOut(BaseModel):
    id: int | None = Field(default=None, description="The stored message's id (for ?after=).")
    sender: Sender = "bot"
    kind: MessageKind | None = None
    text: str
    buttons: list[ButtonOut] = []


class TurnOut(BaseModel):
    language: Language
    mode: Mode
    messages: list[BotMessageOut]
    ticket: TicketPublic | None = None
    last_message_id: int = Field(
        description="The newest message of the conversation; open the event stream after it."
    )


class TranscriptMessage(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    sender: Sender
    kind: MessageKind | None
    text: str | None
    payload: str | None
    buttons: list[ButtonOut] | None
    language: Language
    created_at: datetime


class Transcript(BaseModel):
    conversation_id: str
    language: Language
    mode: Mode
    created_at: datetime
    messages: list[TranscriptMessage]
    tickets: list[TicketPublic] = []
    feedback_given: bool = False


class ContactRequestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    phone: str = Field(description="A Finnish phone number, e.g. 040 123 4567 or +358 40 123 4567.")
    description: str = Field(description="A short description of the matter.")

    @field_validator("phone")
    @classmethod
    def _phone_ok(cls, value: str) -> str:
        if not is_phone_number(value):
            raise PydanticCustomError(
                "phone", "phone must be a Finnish phone number, such as 040 123 4567"
            )
        return value.strip()

    @field_validator("description")
    @classmethod
    def _description_ok(cls, value: str) -> str:
        checked = _checked_text(value, "description")
        assert checked is not None
        return checked.strip()


class ContactRequestCreated(BaseModel):
    id: int
    created_at: datetime
    ticket: TicketPublic
    message: BotMessageOut
