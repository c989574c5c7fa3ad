"""Live chats: offering one after a hand-off, the queue, an advisor taking, answering, handing
back and closing. The transcript keeps every step as a system message."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from handoff.advisors.models import Advisor
from handoff.advisors.service import advisors_online, record
from handoff.conversations import repository
from handoff.conversations.models import Conversation, Message
from handoff.county.schema import CountyConfig
from handoff.db import utcnow
from handoff.errors import Conflict, Invalid
from handoff.live.availability import within_live_hours
from handoff.texts import resident_text
from handoff.tickets.due_dates import WorkingDays

LIVE_CHAT_PAYLOAD = "/live_chat"
MAX_ADVISOR_TEXT = 4000


def live_chat_available(
    *, db: Session, county: CountyConfig, calendar: WorkingDays, now: datetime | None = None
) -> bool:
    now = now or utcnow()
    return within_live_hours(county, calendar, now) and advisors_online(db=db, now=now) > 0


def system_message(db: Session, conversation: Conversation, key: str, **values: str) -> Message:
    """A notice in the transcript (sender system, kind info) from the service's texts."""
    text = resident_text(key, conversation.language).format(**values)
    return repository.add_message(
        db=db,
        conversation=conversation,
        sender="system",
        language=conversation.language,
        kind="info",
        text=text,
    )


def offer_after_handoff(
    *, db: Session, conversation: Conversation, county: CountyConfig, calendar: WorkingDays
) -> Message:
    """After a ticket: a button to chat with an advisor now, or why that is not possible now."""
    if live_chat_available(db=db, county=county, calendar=calendar):
        offer = system_message(db, conversation, "live_offer")
        offer.buttons = [
            {
                "title": resident_text("live_offer_button", conversation.language),
                "payload": LIVE_CHAT_PAYLOAD,
            }
        ]
        return offer
    return system_message(db, conversation, "live_unavailable")


def request_live_chat(
    *, db: Session, conversation: Conversation, county: CountyConfig, calendar: WorkingDays
) -> list[Message]:
    """The resident chose "chat with an advisor": queue them, or tell them why not."""
    if conversation.mode in ("queued", "advisor"):
        return []
    if not live_chat_available(db=db, county=county, calendar=calendar):
        return [system_message(db, conversation, "live_unavailable")]
    conversation.mode = "queued"
    conversation.queued_at = utcnow()
    return [system_message(db, conversation, "live_queued")]


def waiting_chats(*, db: Session) -> list[Conversation]:
    query = (
        select(Conversation)
        .where(Conversation.mode == "queued")
        .order_by(Conversation.queued_at, Conversation.created_at)
    )
    return list(db.scalars(query))


def advisors_chats(*, db: Session, advisor: Advisor) -> list[Conversation]:
    query = (
        select(Conversation)
        .where(Conversation.mode == "advisor", Conversation.advisor == advisor.username)
        .order_by(Conversation.updated_at.desc())
    )
    return list(db.scalars(query))


def take_chat(*, db: Session, conversation: Conversation, advisor: Advisor) -> None:
    """The advisor joins: the bot falls silent until the chat is handed back or closed."""
    if conversation.mode == "advisor" and conversation.advisor == advisor.username:
        return
    if conversation.mode != "queued":
        raise Conflict("this chat is not waiting for an advisor (someone may have taken it)")
    conversation.mode = "advisor"
    conversation.advisor = advisor.username
    system_message(db, conversation, "live_joined", name=advisor.display_name)
    record(db=db, actor=advisor.username, action="take_chat", target=conversation.id)
    db.commit()


def _require_own(conversation: Conversation, advisor: Advisor) -> None:
    if conversation.mode != "advisor" or conversation.advisor != advisor.username:
        raise Conflict("you are not in this chat (take it from the queue first)")


def advisor_says(
    *, db: Session, conversation: Conversation, advisor: Advisor, text: str
) -> Message:
    _require_own(conversation, advisor)
    text = text.strip()
    if not text:
        raise Invalid("the message is empty")
    if len(text) > MAX_ADVISOR_TEXT:
        raise Invalid(f"the message is too long: at most {MAX_ADVISOR_TEXT} characters")
    message = repository.add_message(
        db=db,
        conversation=conversation,
        sender="advisor",
        language=conversation.language,
        text=text,
    )
    conversation.updated_at = utcnow()
    db.commit()
    return message


def hand_back(*, db: Session, conversation: Conversation, advisor: Advisor) -> None:
    """The advisor leaves; the bot answers the resident again."""
    _require_own(conversation, advisor)
    conversation.mode = "bot"
    conversation.advisor = None
    system_message(db, conversation, "live_handed_back")
    record(db=db, actor=advisor.username, action="hand_back_chat", target=conversation.id)
    db.commit()


def close_chat(*, db: Session, conversation: Conversation, advisor: Advisor) -> None:
    """The advisor ends the conversation; the resident is asked for feedback."""
    if conversation.mode == "queued":
        conversation.advisor = advisor.username  # closing a waiting chat is allowed too
    else:
        _require_own(conversation, advisor)
    conversation.mode = "closed"
    system_message(db, conversation, "live_closed")
    record(db=db, actor=advisor.username, action="close_chat", target=conversation.id)
    db.commit()
