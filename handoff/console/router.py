"""The advisor console's pages (/console/…). Thin handlers over the advisors, tickets and live
services; every form carries the session's CSRF token; every page needs a logged-in advisor."""

from secrets import token_urlsafe
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Header, Query, Request
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from pydantic import BaseModel, ConfigDict, Field

from handoff.advisors import service as advisors
from handoff.advisors.models import Advisor, ConsoleSession
from handoff.console.security import (
    CSRF_HEADER,
    LOGIN_CSRF_COOKIE,
    ConsoleSessionDep,
    clear_session_cookie,
    csrf_ok,
    secure_cookies,
    set_session_cookie,
)
from handoff.conversations import repository as conversations
from handoff.conversations.models import Conversation
from handoff.county.schema import CountyConfig
from handoff.deps import CountyDep, SessionDep, SettingsDep
from handoff.errors import Conflict, Forbidden, Invalid, NotFound
from handoff.live import service as live
from handoff.live.stream import SSE_HEADERS, conversation_events
from handoff.texts import resident_text
from handoff.tickets import repository as tickets
from handoff.tickets import service as ticket_service
from handoff.tickets.models import Ticket
from handoff.tickets.schemas import TicketUpdate
from handoff.tickets.service import county_today
from handoff.web.templating import templates

router = APIRouter(prefix="/console", include_in_schema=False)


def translator(language: str) -> Any:
    def t(key: str, **values: Any) -> str:
        text = resident_text(f"console_{key}", language)
        return text.format(**values) if values else text

    return t


def _page(
    request: Request,
    template: str,
    session: ConsoleSession | None,
    county: CountyConfig,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    advisor = session.advisor if session else None
    language = advisor.language if advisor else "fi"
    return templates.TemplateResponse(
        request,
        template,
        {
            "t": translator(language),
            "lang": language,
            "advisor": advisor,
            "csrf_token": session.csrf_token if session else None,
            "task_name": lambda task_id: _task_name(county, task_id, language),
            "tasks": county.service_tasks,
            **context,
        },
        status_code=status_code,
    )


def _task_name(county: CountyConfig, task_id: str, language: str) -> str:
    task = next((task for task in county.service_tasks if task.id == task_id), None)
    return task.name(language) if task else task_id


def _check_csrf(session: ConsoleSession, given: str | None) -> None:
    if not csrf_ok(session.csrf_token, given):
        raise Forbidden("the form's security token is missing or wrong: reload the page")


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# --- login ----------------------------------------------------------------------------------------


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, county: CountyDep, settings: SettingsDep) -> HTMLResponse:
    csrf = token_urlsafe(32)
    response = _page(request, "login.html", None, county, login_csrf=csrf, error=None)
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        csrf,
        httponly=True,
        secure=secure_cookies(request, settings.cookie_secure),
        samesite="strict",
        path="/console",
    )
    return response


@router.post("/login", response_model=None)
def log_in(
    request: Request,
    db: SessionDep,
    county: CountyDep,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=200)],
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    t = translator("fi")
    if not csrf_ok(request.cookies.get(LOGIN_CSRF_COOKIE, ""), csrf_token):
        return _page(
            request, "login.html", None, county, 403, login_csrf="", error=t("login_expired")
        )
    result = advisors.log_in(db=db, username=username, password=password)
    if result.session_token is None:
        error = t("login_locked") if result.locked else t("login_failed")
        return _page(request, "login.html", None, county, 401, login_csrf=csrf_token, error=error)
    redirect = _redirect("/console/")
    set_session_cookie(redirect, request, result.session_token, settings.cookie_secure)
    redirect.delete_cookie(LOGIN_CSRF_COOKIE, path="/console")
    return redirect


@router.post("/logout")
def log_out(
    db: SessionDep, session: ConsoleSessionDep, csrf_token: Annotated[str, Form()] = ""
) -> RedirectResponse:
    _check_csrf(session, csrf_token)
    advisors.log_out(db=db, session=session)
    response = _redirect("/console/login")
    clear_session_cookie(response)
    return response


@router.post("/language")
def set_language(
    db: SessionDep,
    session: ConsoleSessionDep,
    language: Annotated[str, Form(pattern="^(fi|sv)$")],
    csrf_token: Annotated[str, Form()] = "",
    back: Annotated[str, Form(pattern=r"^/console/[\w/\-]*$")] = "/console/",
) -> RedirectResponse:
    _check_csrf(session, csrf_token)
    session.advisor.language = language
    db.commit()
    return _redirect(back)


@router.post("/heartbeat")
def heartbeat(request: Request, db: SessionDep, session: ConsoleSessionDep) -> JSONResponse:
    """The console page is open: the advisor counts as online for live chats."""
    _check_csrf(session, request.headers.get(CSRF_HEADER))
    advisors.seen(db=db, advisor=session.advisor)
    return JSONResponse({"waiting_chats": len(live.waiting_chats(db=db))})


# --- worklists and tickets ------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def worklists(
    request: Request, db: SessionDep, county: CountyDep, session: ConsoleSessionDep
) -> HTMLResponse:
    advisors.seen(db=db, advisor=session.advisor)
    visible = advisors.visible_tasks(session.advisor, county)
    return _page(
        request,
        "worklists.html",
        session,
        county,
        visible=visible,
        counts=tickets.counts_by_task(db=db, tasks=visible),
        overdue=tickets.overdue_by_task(db=db, tasks=visible, today=county_today(county)),
        waiting=len(live.waiting_chats(db=db)),
    )


def _visible_task(advisor: Advisor, county: CountyConfig, task_id: str) -> None:
    if not advisors.may_see_task(advisor, county, task_id):
        raise Forbidden("this worklist belongs to another team")


@router.get("/tasks/{task_id}", response_class=HTMLResponse)
def worklist(
    task_id: str,
    request: Request,
    db: SessionDep,
    county: CountyDep,
    session: ConsoleSessionDep,
    done: Annotated[bool, Query()] = False,
) -> HTMLResponse:
    _visible_task(session.advisor, county, task_id)
    return _page(
        request,
        "worklist.html",
        session,
        county,
        task_id=task_id,
        tickets=tickets.worklist(db=db, service_task=task_id, include_done=done),
        show_done=done,
        today=county_today(county),
    )


def _ticket(db: SessionDep, county: CountyConfig, advisor: Advisor, reference: str) -> Ticket:
    ticket = tickets.by_reference(db=db, reference=reference.upper())
    if ticket is None:
        raise NotFound(f"ticket {reference} not found")
    _visible_task(advisor, county, ticket.service_task)
    return ticket


@router.get("/tickets/{reference}", response_class=HTMLResponse)
def ticket_page(
    reference: str,
    request: Request,
    db: SessionDep,
    county: CountyDep,
    session: ConsoleSessionDep,
    error: Annotated[str | None, Query(max_length=300)] = None,
) -> HTMLResponse:
    ticket = _ticket(db, county, session.advisor, reference)
    advisors.record(
        db=db, actor=session.advisor.username, action="open_ticket", target=ticket.reference
    )
    db.commit()
    conversation = (
        conversations.get_conversation(db=db, conversation_id=ticket.conversation_id)
        if ticket.conversation_id
        else None
    )
    return _page(
        request,
        "ticket.html",
        session,
        county,
        ticket=ticket,
        messages=conversation.messages if conversation else [],
        conversation=conversation,
        today=county_today(county),
        error=error,
    )


def _ticket_action(reference: str, action: Any) -> RedirectResponse:
    try:
        action()
    except (Conflict, Invalid) as problem:
        return _redirect(f"/console/tickets/{reference}?error={quote(problem.detail[:300])}")
    return _redirect(f"/console/tickets/{reference}")


@router.post("/tickets/{reference}/claim")
def claim(
    reference: str,
    db: SessionDep,
    county: CountyDep,
    session: ConsoleSessionDep,
    csrf_token: Annotated[str, Form()] = "",
) -> RedirectResponse:
    _check_csrf(session, csrf_token)
    ticket = _ticket(db, county, session.advisor, reference)
    actor = session.advisor.username
    return _ticket_action(
        ticket.reference, lambda: ticket_service.claim_ticket(db=db, ticket=ticket, actor=actor)
    )


@router.post("/tickets/{reference}/status")
def change_status(
    reference: str,
    db: SessionDep,
    county: CountyDep,
    session: ConsoleSessionDep,
    status: Annotated[str, Form(pattern="^(in_progress|done)$")],
    csrf_token: Annotated[str, Form()] = "",
) -> RedirectResponse:
    _check_csrf(session, csrf_token)
    ticket = _ticket(db, county, session.advisor, reference)
    update = TicketUpdate.model_validate({"status": status})
    actor = session.advisor.username
    return _ticket_action(
        ticket.reference,
        lambda: ticket_service.update_ticket(
            db=db, county=county, ticket=ticket, update=update, actor=actor
        ),
    )


@router.post("/tickets/{reference}/reroute")
def reroute(
    reference: str,
    db: SessionDep,
    county: CountyDep,
    session: ConsoleSessionDep,
    service_task: Annotated[str, Form(max_length=64)],
    reason: Annotated[str, Form(max_length=2000)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> RedirectResponse:
    _check_csrf(session, csrf_token)
    ticket = _ticket(db, county, session.advisor, reference)
    update = TicketUpdate(service_task=service_task, reason=reason)
    actor = session.advisor.username

    def action() -> None:
        ticket_service.update_ticket(
            db=db, county=county, ticket=ticket, update=update, actor=actor
        )

    response = _ticket_action(ticket.reference, action)
    if response.headers["location"].endswith(ticket.reference) and not advisors.may_see_task(
        session.advisor, county, ticket.service_task
    ):
        return _redirect("/console/")  # rerouted to another team's worklist
    return response


@router.post("/tickets/{reference}/notes")
def add_note(
    reference: str,
    db: SessionDep,
    county: CountyDep,
    session: ConsoleSessionDep,
    text: Annotated[str, Form(max_length=4000)],
    csrf_token: Annotated[str, Form()] = "",
) -> RedirectResponse:
    _check_csrf(session, csrf_token)
    ticket = _ticket(db, county, session.advisor, reference)
    actor = session.advisor.username
    return _ticket_action(
        ticket.reference,
        lambda: ticket_service.add_note(db=db, ticket=ticket, actor=actor, text=text),
    )


# --- live chats -----------------------------------------------------------------------------------


@router.get("/chats", response_class=HTMLResponse)
def chats(
    request: Request, db: SessionDep, county: CountyDep, session: ConsoleSessionDep
) -> HTMLResponse:
    advisors.seen(db=db, advisor=session.advisor)
    return _page(
        request,
        "chats.html",
        session,
        county,
        waiting=live.waiting_chats(db=db),
        mine=live.advisors_chats(db=db, advisor=session.advisor),
    )


def _conversation(db: SessionDep, conversation_id: str) -> Conversation:
    conversation = conversations.get_conversation(db=db, conversation_id=conversation_id)
    if conversation is None:
        raise NotFound("no such chat")
    return conversation


def _viewable_chat(db: SessionDep, advisor: Advisor, conversation_id: str) -> Conversation:
    """A live chat the advisor may follow: waiting in the queue, or their own (admins: any)."""
    conversation = _conversation(db, conversation_id)
    if advisor.is_admin or conversation.advisor == advisor.username:
        return conversation
    if conversation.mode == "queued":
        return conversation
    raise Forbidden("this chat is not in the queue and not yours")


@router.post("/chats/{conversation_id}/take")
def take_chat(
    conversation_id: str,
    db: SessionDep,
    session: ConsoleSessionDep,
    csrf_token: Annotated[str, Form()] = "",
) -> RedirectResponse:
    _check_csrf(session, csrf_token)
    conversation = _conversation(db, conversation_id)
    live.take_chat(db=db, conversation=conversation, advisor=session.advisor)
    return _redirect(f"/console/chats/{conversation.id}")


@router.get("/chats/{conversation_id}", response_class=HTMLResponse)
def chat_page(
    conversation_id: str,
    request: Request,
    db: SessionDep,
    county: CountyDep,
    session: ConsoleSessionDep,
) -> HTMLResponse:
    conversation = _viewable_chat(db, session.advisor, conversation_id)
    advisors.record(
        db=db, actor=session.advisor.username, action="open_chat", target=conversation.id
    )
    db.commit()
    return _page(
        request,
        "chat.html",
        session,
        county,
        conversation=conversation,
        messages=conversation.messages,
        chat_tickets=tickets.of_conversation(db=db, conversation_id=conversation.id),
        last_id=max((m.id for m in conversation.messages), default=0),
    )


@router.get("/chats/{conversation_id}/events")
def chat_events(
    conversation_id: str,
    request: Request,
    db: SessionDep,
    session: ConsoleSessionDep,
    after: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,  # message ids are 32-bit integers
) -> StreamingResponse:
    conversation = _viewable_chat(db, session.advisor, conversation_id)
    db.commit()  # the stream reads on its own sessions: hold no transaction (nor lock) meanwhile
    stream = conversation_events(
        factory=request.app.state.stream_session_factory,
        conversation_id=conversation.id,
        after=after,
        senders=("resident", "advisor", "system", "bot"),
        is_disconnected=request.is_disconnected,
        max_seconds=request.app.state.settings.stream_seconds,
    )
    return StreamingResponse(stream, media_type="text/event-stream", headers=SSE_HEADERS)


class ChatMessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=live.MAX_ADVISOR_TEXT)


@router.post("/chats/{conversation_id}/messages", status_code=201)
def send_chat_message(
    conversation_id: str,
    body: ChatMessageIn,
    db: SessionDep,
    session: ConsoleSessionDep,
    csrf: Annotated[str | None, Header(alias=CSRF_HEADER)] = None,
) -> dict[str, int]:
    """The advisor's message to the resident (sent by the chat page's script)."""
    _check_csrf(session, csrf)
    conversation = _conversation(db, conversation_id)
    message = live.advisor_says(
        db=db, conversation=conversation, advisor=session.advisor, text=body.text
    )
    return {"id": message.id}


@router.post("/chats/{conversation_id}/hand-back")
def hand_back(
    conversation_id: str,
    db: SessionDep,
    session: ConsoleSessionDep,
    csrf_token: Annotated[str, Form()] = "",
) -> RedirectResponse:
    _check_csrf(session, csrf_token)
    live.hand_back(db=db, conversation=_conversation(db, conversation_id), advisor=session.advisor)
    return _redirect("/console/chats")


@router.post("/chats/{conversation_id}/close")
def close_chat(
    conversation_id: str,
    db: SessionDep,
    session: ConsoleSessionDep,
    csrf_token: Annotated[str, Form()] = "",
) -> RedirectResponse:
    _check_csrf(session, csrf_token)
    live.close_chat(db=db, conversation=_conversation(db, conversation_id), advisor=session.advisor)
    return _redirect("/console/chats")


# --- audit log (admins) ---------------------------------------------------------------------------


@router.get("/audit", response_class=HTMLResponse)
def audit(
    request: Request,
    db: SessionDep,
    county: CountyDep,
    session: ConsoleSessionDep,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,  # the databases take no more
) -> HTMLResponse:
    if not session.advisor.is_admin:
        raise Forbidden("the audit log is for admins")
    return _page(
        request, "audit.html", session, county, events=advisors.audit_log(db=db, offset=offset)
    )
