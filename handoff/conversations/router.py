"""The resident chat API: /api/v1/conversations."""

from typing import Annotated, cast

from fastapi import APIRouter, Body, Query, Request, Response, status
from fastapi.responses import StreamingResponse

from handoff.bot.client import MessageKind
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
    Sender,
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
    TurnsDep,
)
from handoff.feedback import service as feedback
from handoff.feedback.schemas import FeedbackCreated, FeedbackIn
from handoff.live.stream import SSE_HEADERS, conversation_events
from handoff.tickets import repository as tickets
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
    turns: TurnsDep,
    settings: SettingsDep,
) -> TurnOut:
    """Send the resident's message (or a button's payload) and get the bot's replies. Messages
    of one conversation are answered one at a time, in the order they arrived."""
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
        turns=turns,
        wait_seconds=2 * settings.bot_timeout_seconds,
    )
    return TurnOut(
        language="sv" if turn.language == "sv" else "fi",
        mode=_mode(turn.mode),
        messages=[
            BotMessageOut(
                id=reply.id,
                sender=cast(Sender, reply.sender),
                kind=cast(MessageKind | None, reply.kind),
                text=reply.text or "",
                buttons=[ButtonOut(**b) for b in reply.buttons or []],
            )
            for reply in turn.messages
        ],
        ticket=public_view(county, turn.ticket) if turn.ticket else None,
        last_message_id=turn.last_message_id,
    )


@router.get("/{conversation_id}", response_model=Transcript, responses=AUTH_RESPONSES)
def get_transcript(
    conversation_id: str, db: SessionDep, token: BearerTokenDep, county: CountyDep
) -> Transcript:
    """The whole conversation, oldest message first, with its tickets (to resume a chat)."""
    conversation = service.authorised_conversation(
        db=db, conversation_id=conversation_id, token=token
    )
    transcript = _transcript(conversation)
    transcript.tickets = [
        public_view(county, ticket)
        for ticket in tickets.of_conversation(db=db, conversation_id=conversation.id)
    ]
    transcript.feedback_given = feedback.feedback_given(db=db, conversation_id=conversation.id)
    return transcript


@router.delete(
    "/{conversation_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=AUTH_RESPONSES,
)
def delete_conversation(conversation_id: str, db: SessionDep, token: BearerTokenDep) -> Response:
    """Delete the conversation: its transcript, contact requests and feedback. A ticket made from
    it stays with the county (with the resident's words) but no longer links to it."""
    conversation = service.authorised_conversation(
        db=db, conversation_id=conversation_id, token=token
    )
    service.delete_conversation(db=db, conversation=conversation)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/{conversation_id}/events",
    responses={**AUTH_RESPONSES, 200: {"content": {"text/event-stream": {}}}},
    response_class=StreamingResponse,
)
def conversation_events_stream(
    conversation_id: str,
    request: Request,
    db: SessionDep,
    token: BearerTokenDep,
    after: Annotated[
        int, Query(ge=0, le=2**31 - 1, description="The last message id the client has.")
    ] = 0,
) -> StreamingResponse:
    """Server-sent events while an advisor chats: `message` (advisor, system and bot messages
    with an id above `after`) and `mode` (bot, queued, advisor, closed)."""
    conversation = service.authorised_conversation(
        db=db, conversation_id=conversation_id, token=token
    )
    db.commit()  # the stream reads on its own sessions: hold no transaction (nor lock) meanwhile
    stream = conversation_events(
        factory=request.app.state.stream_session_factory,
        conversation_id=conversation.id,
        after=after,
        senders=("advisor", "system", "bot"),
        is_disconnected=request.is_disconnected,
        max_seconds=request.app.state.settings.stream_seconds,
    )
    return StreamingResponse(stream, media_type="text/event-stream", headers=SSE_HEADERS)


@router.post(
    "/{conversation_id}/feedback",
    status_code=status.HTTP_201_CREATED,
    response_model=FeedbackCreated,
    responses={**AUTH_RESPONSES, 409: {"description": "Feedback was already given"}},
)
def give_feedback(
    conversation_id: str,
    body: FeedbackIn,
    db: SessionDep,
    token: BearerTokenDep,
    county: CountyDep,
    calendar: CalendarDep,
) -> FeedbackCreated:
    """Rate the conversation (1–5) with an optional comment; asking for a reply creates a
    ticket on the county's feedback worklist."""
    conversation = service.authorised_conversation(
        db=db, conversation_id=conversation_id, token=token
    )
    _, ticket, message = feedback.give_feedback(
        db=db,
        desk=TicketDesk(county=county, calendar=calendar),
        conversation=conversation,
        data=body,
    )
    return FeedbackCreated(message=message, ticket=public_view(county, ticket) if ticket else None)


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
