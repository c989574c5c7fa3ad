"""Resident conversations: start, authorise, take a message through the bot, keep the transcript."""

import logging
import uuid
from dataclasses import asdict, dataclass, field

from sqlalchemy.orm import Session

from handoff.auth.tokens import new_token, token_digest, token_matches
from handoff.bot.client import Bot, BotMessage, BotUnavailable
from handoff.conversations import repository
from handoff.conversations.models import ContactRequest, Conversation
from handoff.conversations.phone import find_phone_number
from handoff.errors import Forbidden, NotFound, Unauthorized
from handoff.language.detector import LanguageDetection, ResidentLanguage
from handoff.texts import resident_text
from handoff.tickets import repository as tickets
from handoff.tickets.models import Ticket
from handoff.tickets.schemas import TicketCreate
from handoff.tickets.service import TicketDesk, create_ticket
from handoff.unanswered import service as unanswered

logger = logging.getLogger(__name__)


@dataclass
class Turn:
    """What one resident message produced (and the ticket it created, if any)."""

    language: str
    mode: str
    messages: list[BotMessage] = field(default_factory=list)
    ticket: Ticket | None = None


def start_conversation(*, db: Session, language: str) -> tuple[Conversation, str]:
    """A new conversation and its resident token (only the token's digest is stored)."""
    token = new_token()
    conversation = repository.add_conversation(
        db=db, conversation_id=str(uuid.uuid4()), token_hash=token_digest(token), language=language
    )
    db.commit()
    return conversation, token


def authorised_conversation(
    *, db: Session, conversation_id: str, token: str | None
) -> Conversation:
    """The conversation, if `token` is its resident token."""
    if token is None:
        raise Unauthorized("missing bearer token: send Authorization: Bearer <token>")
    conversation = repository.get_conversation(db=db, conversation_id=conversation_id)
    if conversation is None:
        raise NotFound(f"conversation {conversation_id} not found")
    if not token_matches(token, conversation.token_hash):
        raise Forbidden("this token does not belong to this conversation")
    return conversation


def take_message(
    *,
    db: Session,
    conversation: Conversation,
    text: str | None,
    payload: str | None,
    languages: LanguageDetection,
    bot: Bot,
    desk: TicketDesk,
) -> Turn:
    """Store the message, then ask the bot; a failing bot gets the fallback, never an error."""
    current: ResidentLanguage = "sv" if conversation.language == "sv" else "fi"
    language = languages.detect(text, current=current) if text is not None else current
    conversation.language = language
    received = repository.add_message(
        db=db,
        conversation=conversation,
        sender="resident",
        language=language,
        text=text,
        payload=payload,
    )
    db.commit()

    if conversation.mode != "bot":
        return Turn(language=language, mode=conversation.mode)

    try:
        replies = bot.send(
            conversation_id=conversation.id,
            message=text if text is not None else payload or "",
            language=language,
        )
    except BotUnavailable as error:
        logger.warning("bot unavailable for a turn: %s", error)
        replies = _bot_unavailable_replies(
            db=db, desk=desk, conversation=conversation, text=text, language=language
        )
    if not replies:
        logger.warning("the bot answered nothing; giving the fallback")
        replies = _bot_unavailable_replies(
            db=db, desk=desk, conversation=conversation, text=text, language=language
        )

    if text is not None and any(reply.kind == "fallback" for reply in replies):
        unanswered.record(db=db, text=text, language=language)
    for reply in replies:
        repository.add_message(
            db=db,
            conversation=conversation,
            sender="bot",
            language=language,
            kind=reply.kind,
            text=reply.text,
            buttons=[asdict(button) for button in reply.buttons] or None,
        )
    db.commit()
    ticket = tickets.created_in_conversation_since(
        db=db, conversation_id=conversation.id, since=received.created_at
    )
    return Turn(language=language, mode=conversation.mode, messages=replies, ticket=ticket)


def _bot_unavailable_replies(
    *, db: Session, desk: TicketDesk, conversation: Conversation, text: str | None, language: str
) -> list[BotMessage]:
    """While the bot is down, a message with a phone number becomes a contact request."""
    phone = find_phone_number(text) if text else None
    if phone is not None and text is not None:
        _, _, confirmation = _store_contact_request(
            db=db, desk=desk, conversation=conversation, phone=phone, description=text
        )
        return [confirmation]
    return [BotMessage(kind="fallback", text=resident_text("bot_unavailable", language))]


def _store_contact_request(
    *, db: Session, desk: TicketDesk, conversation: Conversation, phone: str, description: str
) -> tuple[ContactRequest, Ticket, BotMessage]:
    """The request, a ticket on the general advice worklist so that advisors see it, and the
    confirmation with its reference for the resident."""
    request = repository.add_contact_request(
        db=db,
        conversation=conversation,
        phone=phone,
        description=description,
        language=conversation.language,
    )
    ticket, _ = create_ticket(
        db=db,
        county=desk.county,
        calendar=desk.calendar,
        data=TicketCreate(
            conversation_id=conversation.id,
            language="sv" if conversation.language == "sv" else "fi",
            urgency="concern",
            contact_phone=phone,
            resident_words=description,
        ),
        idempotency_key=f"contact-request:{request.id}",
        actor="contact-request",
    )
    saved = resident_text("contact_request_saved", conversation.language)
    return (
        request,
        ticket,
        BotMessage(kind="fallback", text=saved.format(reference=ticket.reference)),
    )


def leave_contact_request(
    *, db: Session, desk: TicketDesk, conversation: Conversation, phone: str, description: str
) -> tuple[ContactRequest, Ticket, BotMessage]:
    """Store a contact request the resident filled in (for example while the bot is down)."""
    request, ticket, confirmation = _store_contact_request(
        db=db, desk=desk, conversation=conversation, phone=phone, description=description
    )
    repository.add_message(
        db=db,
        conversation=conversation,
        sender="system",
        language=conversation.language,
        kind=confirmation.kind,
        text=confirmation.text,
    )
    db.commit()
    return request, ticket, confirmation
