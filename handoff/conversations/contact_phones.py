"""The resident's phone numbers, kept by the service while the bot sees only [phone:NNNN].

The hand-off form's phone question is answered in the chat, so the number passes through the
bot. The service takes each number out of the message before Rasa gets it (privacy.mask_for_bot)
and keeps it on the conversation; the ticket the action server asks for carries the reference,
which is resolved here. Once a ticket is made, the numbers are forgotten: from then on the
contact phone lives only in the ticket.
"""

from sqlalchemy.orm import Session

from handoff.conversations import repository
from handoff.conversations.models import Conversation
from handoff.errors import Invalid
from handoff.privacy import PHONE_REFERENCE

MAX_KEPT = 5  # a resident correcting a number now and then; not a phone book


def _conversation(db: Session, conversation_id: str | None) -> Conversation | None:
    if not conversation_id:
        return None
    return repository.get_conversation(db=db, conversation_id=conversation_id)


def remember(conversation: Conversation, phones: dict[str, str]) -> None:
    """Keep the numbers of this message (a newer number with the same last digits wins)."""
    if not phones:
        return
    kept = {**(conversation.phone_numbers or {}), **phones}
    conversation.phone_numbers = dict(list(kept.items())[-MAX_KEPT:])


def resolve(*, db: Session, conversation_id: str | None, contact_phone: str) -> str:
    """The number behind [phone:NNNN] in this conversation; a plain number as it is."""
    match = PHONE_REFERENCE.fullmatch(contact_phone)
    if match is None:
        return contact_phone
    conversation = _conversation(db, conversation_id)
    number = (conversation.phone_numbers or {}).get(match.group(1)) if conversation else None
    if number is None:
        raise Invalid(
            f"contact_phone {contact_phone} refers to no phone number given in this conversation"
        )
    return number


def forget(*, db: Session, conversation_id: str | None) -> None:
    """A ticket now holds the contact phone: the conversation keeps no number."""
    conversation = _conversation(db, conversation_id)
    if conversation is not None:
        conversation.phone_numbers = None
