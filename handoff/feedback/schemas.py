"""The feedback form's body and answer."""

from typing import Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from handoff.conversations.phone import is_phone_number
from handoff.tickets.public import TicketPublic

MAX_COMMENT_LENGTH = 2000


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rating: int = Field(ge=1, le=5, description="1 (poor) … 5 (very good).")
    comment: str | None = Field(default=None, max_length=MAX_COMMENT_LENGTH)
    reply_requested: bool = False
    contact_phone: str | None = Field(
        default=None, description="Needed when a reply is requested: a Finnish phone number."
    )

    @field_validator("comment")
    @classmethod
    def _comment(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @field_validator("contact_phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not is_phone_number(value):
            raise PydanticCustomError(
                "phone", "contact_phone must be a Finnish phone number, such as 040 123 4567"
            )
        return value.strip()

    @model_validator(mode="after")
    def _phone_for_reply(self) -> Self:
        if self.reply_requested and self.contact_phone is None:
            raise PydanticCustomError(
                "phone_needed", "a reply needs contact_phone: the number we should call"
            )
        return self


class FeedbackCreated(BaseModel):
    message: str
    ticket: TicketPublic | None = None
