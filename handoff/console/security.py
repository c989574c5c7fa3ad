"""Console sessions in cookies, CSRF tokens, and the login redirect."""

import hmac
from typing import Annotated

from fastapi import Depends, Request, Response

from handoff.advisors.models import Advisor, ConsoleSession
from handoff.advisors.service import SESSION_LIFETIME, session_for
from handoff.deps import SessionDep

SESSION_COOKIE = "neuvo_console"
LOGIN_CSRF_COOKIE = "neuvo_login_csrf"
CSRF_HEADER = "X-CSRF-Token"


class LoginRequired(Exception):
    """Raised by the console's dependency; answered with a redirect to the login page."""


def secure_cookies(request: Request, forced: bool | None) -> bool:
    """Secure cookies on HTTPS (or when the setting forces them); plain HTTP on localhost works."""
    return forced if forced is not None else request.url.scheme == "https"


def set_session_cookie(
    response: Response, request: Request, token: str, forced: bool | None
) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        secure=secure_cookies(request, forced),
        samesite="strict",
        path="/console",
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/console")


def current_session(request: Request, db: SessionDep) -> ConsoleSession:
    session = session_for(db=db, token=request.cookies.get(SESSION_COOKIE))
    if session is None:
        raise LoginRequired()
    return session


ConsoleSessionDep = Annotated[ConsoleSession, Depends(current_session)]


def current_advisor(session: ConsoleSessionDep) -> Advisor:
    return session.advisor


AdvisorUserDep = Annotated[Advisor, Depends(current_advisor)]


def csrf_ok(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), (given or "").encode())
