"""GET /api/v1/unanswered: what residents asked that the bot did not understand, with counts."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from handoff.auth.deps import EditorDep
from handoff.deps import SessionDep
from handoff.unanswered.service import most_asked

router = APIRouter(prefix="/api/v1/unanswered", tags=["content editors"])


class UnansweredOut(BaseModel):
    text: str
    language: Literal["fi", "sv"]
    count: int


@router.get("", response_model=list[UnansweredOut])
def list_unanswered(
    db: SessionDep,
    _editor: EditorDep,
    language: Literal["fi", "sv"] | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[UnansweredOut]:
    """Unanswered questions (personal data masked), most frequent first."""
    return [
        UnansweredOut(text=row.text, language=row.language, count=row.count)
        for row in most_asked(db=db, language=language, limit=limit)
    ]
