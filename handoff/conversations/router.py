"""The resident chat API: /api/v1/conversations."""

from typing import Annotated, cast

from fastapi import APIRouter, Body, status

from handoff.conversations import service
from handoff.conversations.models import Conversation
from handoff.conversations.schemas import (
    BotMessageOut,
    ButtonOut,
    ContactRequestCreated,
    ContactRequestIn,
    ConversationCreate,
    ConversationCreated,
    MessageIn,
    Mode,
    Transcript,
    TranscriptMessage,
    TurnOut,
)
from handoff.deps import (
    BearerTokenDep,
    BotDep,
    CalendarDep,
    CountyDep,
    LanguagesDep,
    SessionDep,
    SettingsDep,
)
from handoff.tickets.service import TicketDesk
from handoff.tickets.views import public_view

router = APIRouter(prefix="/api/v1/conversations", tags=["resident chat"])

AUTH_RESPONSES: dict[int | str, dict[str, str]] = {
    401: {"description": "Missing bearer token"},
    403: {"description": "The token is not this conversation's"},
    404: {"description": "No such conversation"},
}


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ConversationCreated)
def create_conversation(
    db: SessionDep,
    settings: SettingsDep,
    body: Annotated[ConversationCreate | None, Body()] = None,
) -> ConversationCreated:
    """Start a conversation; keep the returned token to send messages and read the transcript."""
    language = body.language if body and body.language else settings.default_language
    conversation, token = service.start_conversation(db=db, language=language)
    return ConversationCreated(conversation_id=conversation.id, token=token)


@router.post("/{conversation_id}/messages", response_model=TurnOut, responses=AUTH_RESPONSES)
def post_message(
    conversation_id: str,
    message: MessageIn,
    db: SessionDep,
    token: BearerTokenDep,
    bot: BotDep,
    languages: LanguagesDep,
    county: CountyDep,
    calendar: CalendarDep,
) -> TurnOut:
    """Send the resident's message (or a button's payload) and get the bot's replies."""
    conversation = service.authorised_conversation(
        db=db, conversation_id=conversation_id, token=token
    )
    turn = service.take_message(
        db=db,
        conversation=conversation,
        text=message.text,
        payload=message.payload,
        languages=languages,
        bot=bot,
        desk=TicketDesk(county=county, calendar=calendar),
    )
    return TurnOut(
        language="sv" if turn.language == "sv" else "fi",
        mode=_mode(turn.mode),
        messages=[
            BotMessageOut(
                kind=reply.kind,
                text=reply.text,
                buttons=[ButtonOut(title=b.title, payload=b.payload) for b in reply.buttons],
            )
            for reply in turn.messages
        ],
        ticket=public_view(county, turn.ticket) if turn.ticket else None,
    )


@router.get("/{conversation_id}", response_model=Transcript, responses=AUTH_RESPONSES)
def get_transcript(conversation_id: str, db: SessionDep, token: BearerTokenDep) -> Transcript:
    """The whole conversation, oldest message first."""
    conversation = service.authorised_conversation(
        db=db, conversation_id=conversation_id, token=token
    )
    return _transcript(conversation)


@router.post(
    "/{conversation_id}/contact-requests",
    status_code=status.HTTP_201_CREATED,
    response_model=ContactRequestCreated,
    responses=AUTH_RESPONSES,
)
def create_contact_request(
    conversation_id: str,
    body: ContactRequestIn,
    db: SessionDep,
    token: BearerTokenDep,
    county: CountyDep,
    calendar: CalendarDep,
) -> ContactRequestCreated:
    """Leave a phone number and a short description for the county's advisors to call back."""
    conversation = service.authorised_conversation(
        db=db, conversation_id=conversation_id, token=token
    )
    request, ticket, confirmation = service.leave_contact_request(
        db=db,
        desk=TicketDesk(county=county, calendar=calendar),
        conversation=conversation,
        phone=body.phone,
        description=body.description,
    )
    return ContactRequestCreated(
        id=request.id,
        created_at=request.created_at,
        ticket=public_view(county, ticket),
        message=BotMessageOut(kind=confirmation.kind, text=confirmation.text),
    )


def _mode(mode: str) -> Mode:
    return cast(Mode, mode)


def _transcript(conversation: Conversation) -> Transcript:
    return Transcript(
        conversation_id=conversation.id,
        language="sv" if conversation.language == "sv" else "fi",
        mode=_mode(conversation.mode),
        created_at=conversation.created_at,
        messages=[TranscriptMessage.model_validate(message) for message in conversation.messages],
    )
