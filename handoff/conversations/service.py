"""Resident conversations: start, authorise, take a message through the bot, keep the transcript."""

import logging
import uuid
from dataclasses import asdict, dataclass, field

from sqlalchemy.orm import Session

from handoff.auth.tokens import new_token, token_digest, token_matches
from handoff.bot.client import Bot, BotMessage, BotUnavailable
from handoff.conversations import contact_phones, repository
from handoff.conversations.models import ContactRequest, Conversation, Message
from handoff.conversations.phone import find_phone_number
from handoff.conversations.turns import ConversationTurns
from handoff.errors import Forbidden, NotFound, Unauthorized, Unavailable
from handoff.language.detector import LanguageDetection, ResidentLanguage
from handoff.live import service as live
from handoff.observability import metrics
from handoff.privacy import mask_for_bot, mask_personal_data
from handoff.texts import resident_text
from handoff.tickets import repository as tickets
from handoff.tickets.models import Ticket
from handoff.tickets.schemas import TicketCreate
from handoff.tickets.service import TicketDesk, create_ticket
from handoff.unanswered import service as unanswered

logger = logging.getLogger(__name__)


@dataclass
class Turn:
    """What one resident message produced: the stored replies, and the ticket it created."""

    language: str
    mode: str
    last_message_id: int
    messages: list[Message] = field(default_factory=list)
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
    turns: ConversationTurns,
    wait_seconds: float,
) -> Turn:
    """One message at a time per conversation, in arrival order (see conversations.turns)."""
    db.commit()  # hold no transaction (nor SQLite's write lock) while waiting in line
    try:
        with turns.turn(conversation.id, timeout=wait_seconds):
            return _take_message(
                db=db,
                conversation=conversation,
                text=text,
                payload=payload,
                languages=languages,
                bot=bot,
                desk=desk,
            )
    except TimeoutError as error:
        raise Unavailable(
            "this conversation's earlier messages are still being answered; send again shortly"
        ) from error


def _take_message(
    *,
    db: Session,
    conversation: Conversation,
    text: str | None,
    payload: str | None,
    languages: LanguageDetection,
    bot: Bot,
    desk: TicketDesk,
) -> Turn:
    """Store the message and ask the bot, both with personal data masked; a failing bot gets the
    fallback, never an error."""
    db.refresh(conversation)  # an advisor may have taken the chat while this message waited
    current: ResidentLanguage = "sv" if conversation.language == "sv" else "fi"
    answering = repository.last_bot_kind(db=db, conversation=conversation) == "question"
    language = (
        languages.detect(text, current=current, answering=answering)
        if text is not None
        else current
    )
    conversation.language = language
    received = repository.add_message(
        db=db,
        conversation=conversation,
        sender="resident",
        language=language,
        text=mask_personal_data(text) if text is not None else None,
        payload=mask_personal_data(payload) if payload is not None else None,
    )
    db.commit()

    if payload == live.LIVE_CHAT_PAYLOAD:
        stored = live.request_live_chat(
            db=db, conversation=conversation, county=desk.county, calendar=desk.calendar
        )
        db.commit()
        metrics.current().turn(language=language, outcome="advisor")
        return _turn(conversation, received, stored)
    if conversation.mode == "closed":
        conversation.mode = "bot"  # writing after a closed live chat starts over with the bot
        conversation.advisor = None
    if conversation.mode != "bot":
        metrics.current().turn(language=language, outcome="advisor")
        return _turn(conversation, received, [])  # an advisor answers; the bot stays silent

    # Rasa keeps what it is sent: personal data masked, phone numbers as [phone:NNNN] with the
    # numbers kept here for the hand-off's ticket (conversations.contact_phones).
    for_bot = mask_for_bot(text if text is not None else payload or "")
    contact_phones.remember(conversation, for_bot.phones)
    db.commit()
    fallback: metrics.FallbackReason | None = None
    try:
        with metrics.current().bot_call():
            replies = bot.send(
                conversation_id=conversation.id, message=for_bot.text, language=language
            )
    except BotUnavailable as error:
        fallback = "bot_unavailable"
        logger.warning("bot unavailable for a turn: %s", error)
        replies = _bot_unavailable_replies(
            db=db, desk=desk, conversation=conversation, text=text, language=language
        )
    if not replies:
        fallback = "bot_unavailable"
        logger.warning("the bot answered nothing; giving the fallback")
        replies = _bot_unavailable_replies(
            db=db, desk=desk, conversation=conversation, text=text, language=language
        )

    if text is not None and any(reply.kind == "fallback" for reply in replies):
        unanswered.record(db=db, text=text, language=language)
    stored = [
        repository.add_message(
            db=db,
            conversation=conversation,
            sender="bot",
            language=language,
            kind=reply.kind,
            text=reply.text,
            buttons=[asdict(button) for button in reply.buttons] or None,
        )
        for reply in replies
    ]
    ticket = tickets.created_in_conversation_since(
        db=db, conversation_id=conversation.id, since=received.created_at
    )
    if ticket is not None:
        stored.append(
            live.offer_after_handoff(
                db=db, conversation=conversation, county=desk.county, calendar=desk.calendar
            )
        )
    db.commit()
    if fallback is None and any(reply.kind == "fallback" for reply in replies):
        fallback = "not_understood"
    metrics.current().turn(
        language=language,
        outcome="bot" if fallback is None else "fallback",
        fallback=fallback,
        service_task=ticket.service_task if ticket is not None else None,
    )
    return _turn(conversation, received, stored, ticket)


def _turn(
    conversation: Conversation,
    received: Message,
    stored: list[Message],
    ticket: Ticket | None = None,
) -> Turn:
    last = max([received.id, *(message.id for message in stored)])
    return Turn(
        language=conversation.language,
        mode=conversation.mode,
        last_message_id=last,
        messages=stored,
        ticket=ticket,
    )


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
    confirmation with its reference for the resident. The phone is kept in the ticket's contact
    field only; the description is stored masked (the ticket masks its copy too)."""
    request = repository.add_contact_request(
        db=db,
        conversation=conversation,
        description=mask_personal_data(description),
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
    request.ticket_reference = ticket.reference
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


def delete_conversation(*, db: Session, conversation: Conversation) -> None:
    """The resident's own deletion: the transcript, contact requests and feedback go (database
    cascades); a ticket made from it stays, as the county's record, without the link (SET NULL)."""
    db.delete(conversation)
    db.commit()
    db.expire_all()  # loaded tickets still hold the link the database has just cleared
    logger.info("a resident deleted their conversation")
