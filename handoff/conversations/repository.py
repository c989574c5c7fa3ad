"""Every database query about conversations. Adds and flushes; never commits."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from handoff.conversations.models import ContactRequest, Conversation, Message


def add_conversation(
    *, db: Session, conversation_id: str, token_hash: str, language: str
) -> Conversation:
    conversation = Conversation(
        id=conversation_id, token_hash=token_hash, language=language, mode="bot"
    )
    db.add(conversation)
    db.flush()
    return conversation


def get_conversation(*, db: Session, conversation_id: str) -> Conversation | None:
    return db.get(Conversation, conversation_id)


def add_message(
    *,
    db: Session,
    conversation: Conversation,
    sender: str,
    language: str,
    text: str | None = None,
    payload: str | None = None,
    kind: str | None = None,
    buttons: list[dict[str, Any]] | None = None,
) -> Message:
    message = Message(
        conversation_id=conversation.id,
        sender=sender,
        kind=kind,
        text=text,
        payload=payload,
        buttons=buttons,
        language=language,
    )
    db.add(message)
    db.flush()
    return message


def last_bot_kind(*, db: Session, conversation: Conversation) -> str | None:
    """The kind of the bot's latest message (question, answer, …), None before the first one."""
    statement = (
        select(Message.kind)
        .where(Message.conversation_id == conversation.id, Message.sender == "bot")
        .order_by(Message.id.desc())
        .limit(1)
    )
    return db.execute(statement).scalar_one_or_none()


def add_contact_request(
    *, db: Session, conversation: Conversation, description: str, language: str
) -> ContactRequest:
    request = ContactRequest(
        conversation_id=conversation.id, description=description, language=language
    )
    db.add(request)
    db.flush()
    return request
