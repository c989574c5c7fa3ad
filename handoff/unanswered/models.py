"""Questions the bot could not answer, kept (masked) so that content editors see the gaps."""

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from handoff.db import Base, UTCDateTime, utcnow


class UnansweredQuestion(Base):
    __tablename__ = "unanswered_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    text: Mapped[str] = mapped_column(Text)  # masked: no identity codes, phones or e-mails
    normalized: Mapped[str] = mapped_column(String(300), index=True)
    language: Mapped[str] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
