"""Rasa's REST channel behind a bearer token: only the handoff service may post messages.

Rasa's own `--auth-token` protects its HTTP API (/model, /conversations…) but not the channels'
webhooks. This channel keeps the REST channel's URL (/webhooks/rest/webhook) and message format
and answers 401 to any request without `Authorization: Bearer <RASA_AUTH_TOKEN>`. Configured in
bot/credentials.yml; with no token configured, every request is refused.
"""

import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint

from bot.http_auth import require_bearer_token

logger = logging.getLogger(__name__)
TOKEN_VARIABLE = "RASA_AUTH_TOKEN"


class TokenRestInput(RestInput):
    def __init__(self, token: str) -> None:
        self.token = token
        if not token:
            logger.error("%s is not set: the REST channel refuses every request", TOKEN_VARIABLE)

    @classmethod
    def name(cls) -> str:
        return "rest"  # the REST channel's URL and format, behind the token

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> "TokenRestInput":
        configured = (credentials or {}).get("token")
        return cls(str(configured) if configured else os.environ.get(TOKEN_VARIABLE, ""))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)
        webhook.middleware("request")(require_bearer_token(self.token, TOKEN_VARIABLE))
        return webhook
