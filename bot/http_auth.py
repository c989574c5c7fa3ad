"""The bearer-token check of Neuvo's two bot-side HTTP servers (Rasa's REST channel and the action
server): only the handoff service, and Rasa for the actions, hold the tokens."""

import hmac
from collections.abc import Awaitable, Callable

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

Middleware = Callable[[Request], Awaitable[HTTPResponse | None]]


def bearer_token_matches(authorization: str | None, token: str) -> bool:
    """True when `authorization` is `Bearer <token>`; never when no token is configured."""
    if not token or not authorization:
        return False
    scheme, _, given = authorization.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), token.encode()
    )


def require_bearer_token(token: str, variable: str) -> Middleware:
    """A Sanic request middleware: 401 for a request without `Authorization: Bearer <token>`
    (`variable` names the setting in the refusal)."""

    async def require_token(request: Request) -> HTTPResponse | None:
        if bearer_token_matches(request.headers.get("authorization"), token):
            return None
        return response.json({"error": f"send Authorization: Bearer <{variable}>"}, status=401)

    return require_token
