"""What a resident sees of their ticket: the `ticket` of a chat reply (no other imports here)."""

from datetime import date
from typing import Literal

from pydantic import BaseModel

Status = Literal["new", "in_progress", "done"]
Urgency = Literal["emergency", "crisis", "concern", "none"]


class TicketPublic(BaseModel):
    reference: str
    service_area: str | None
    municipality: str | None
    service_task: str
    service_task_name: str
    status: Status
    due_date: date
    urgency: Urgency
