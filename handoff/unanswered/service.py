"""Recording and listing the questions the bot did not understand."""

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handoff.privacy import mask_personal_data
from handoff.unanswered.models import UnansweredQuestion


def normalize(text: str) -> str:
    """Lower case, single spaces, no trailing punctuation: the key that counts repeats."""
    return re.sub(r"\s+", " ", text.lower()).strip(" .!?")[:300]


def record(*, db: Session, text: str, language: str) -> UnansweredQuestion:
    """Store a question the bot answered with a fallback (personal data masked). Flushes only."""
    masked = mask_personal_data(text)
    question = UnansweredQuestion(text=masked, normalized=normalize(masked), language=language)
    db.add(question)
    db.flush()
    return question


@dataclass(frozen=True)
class UnansweredCount:
    text: str
    language: str
    count: int


def most_asked(
    *, db: Session, language: str | None = None, limit: int = 100
) -> list[UnansweredCount]:
    """The unanswered questions grouped by their normalized text, most frequent first."""
    query = select(
        UnansweredQuestion.normalized,
        UnansweredQuestion.language,
        func.count(UnansweredQuestion.id).label("count"),
    ).group_by(UnansweredQuestion.normalized, UnansweredQuestion.language)
    if language is not None:
        query = query.where(UnansweredQuestion.language == language)
    rows = db.execute(query.order_by(func.count(UnansweredQuestion.id).desc()).limit(limit)).all()
    return [UnansweredCount(text=row[0], language=row[1], count=row[2]) for row in rows]
