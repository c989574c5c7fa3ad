"""Storing feedback; a requested reply becomes a ticket on the county's feedback worklist."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from handoff.conversations.models import Conversation
from handoff.errors import Conflict
from handoff.feedback.models import Feedback
from handoff.feedback.schemas import FeedbackIn
from handoff.live.service import system_message
from handoff.privacy import mask_personal_data
from handoff.texts import resident_text
from handoff.tickets.models import Ticket
from handoff.tickets.schemas import TicketCreate
from handoff.tickets.service import TicketDesk, create_ticket


def feedback_given(*, db: Session, conversation_id: str) -> bool:
    query = select(Feedback.id).where(Feedback.conversation_id == conversation_id)
    return db.scalar(query) is not None


def give_feedback(
    *, db: Session, desk: TicketDesk, conversation: Conversation, data: FeedbackIn
) -> tuple[Feedback, Ticket | None, str]:
    """Store the rating once per conversation; with a reply requested, also a ticket."""
    if feedback_given(db=db, conversation_id=conversation.id):
        raise Conflict("feedback has already been given in this conversation")
    language = "sv" if conversation.language == "sv" else "fi"
    ticket = None
    if data.reply_requested and data.contact_phone:
        heading = resident_text("feedback_ticket_words", language).format(rating=data.rating)
        ticket, _ = create_ticket(
            db=db,
            county=desk.county,
            calendar=desk.calendar,
            data=TicketCreate(
                conversation_id=conversation.id,
                language=language,
                urgency="none",
                contact_phone=data.contact_phone,
                resident_words=f"{heading}:\n{data.comment or '–'}",
            ),
            idempotency_key=f"feedback:{conversation.id}",
            actor="feedback",
            feedback=True,
        )
    feedback = Feedback(
        conversation_id=conversation.id,
        rating=data.rating,
        comment=mask_personal_data(data.comment) if data.comment else None,
        reply_requested=data.reply_requested,
        ticket_reference=ticket.reference if ticket else None,
        language=language,
    )
    db.add(feedback)
    if conversation.mode in ("queued", "advisor"):
        # Feedback ends the conversation: a waiting or chatting advisor sees that the resident left.
        conversation.mode = "closed"
        system_message(db, conversation, "live_resident_left")
    db.commit()
    if ticket is not None:
        message = resident_text("feedback_thanks_reply", language).format(
            reference=ticket.reference
        )
    else:
        message = resident_text("feedback_thanks", language)
    return feedback, ticket, message
