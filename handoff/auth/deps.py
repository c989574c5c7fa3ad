"""API token authentication for the advisor, triage and action-server endpoints."""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends

from handoff.auth.models import ApiToken
from handoff.auth.service import find_token
from handoff.deps import BearerTokenDep, SessionDep
from handoff.errors import Forbidden, Unauthorized


def require_role(*roles: str) -> Callable[..., ApiToken]:
    """A dependency that lets through a valid API token with one of `roles` (admin always)."""

    def dependency(db: SessionDep, token: BearerTokenDep) -> ApiToken:
        if token is None:
            raise Unauthorized("missing bearer token: send Authorization: Bearer <token>")
        api_token = find_token(db=db, token=token)
        if api_token is None:
            raise Unauthorized("unknown API token")
        if api_token.role != "admin" and api_token.role not in roles:
            raise Forbidden(f"this endpoint needs one of the roles {', '.join(('admin', *roles))}")
        return api_token

    return dependency


AdvisorDep = Annotated[ApiToken, Depends(require_role("advisor"))]
ActionServerDep = Annotated[ApiToken, Depends(require_role("bot"))]
EditorDep = Annotated[ApiToken, Depends(require_role("editor"))]
