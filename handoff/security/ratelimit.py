"""Rate limits of the public endpoints: in-process sliding windows per client address and per
conversation, answered with 429, a Retry-After header and a JSON detail.

The windows live in the process's memory: several service processes each keep their own, so the
allowance per address is multiplied by the number of processes (and a restart forgets it).
"""

import hashlib
import math
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any

from starlette.datastructures import Headers
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from handoff.texts import LANGUAGES, resident_text

Clock = Callable[[], float]
# Where a refused request's route template is left for the request log (no route matched it).
ROUTE_TEMPLATE_KEY = "neuvo.route_template"


@dataclass(frozen=True)
class RateLimit:
    """At most `count` requests in any `seconds`-long window."""

    count: int
    seconds: float

    def __str__(self) -> str:
        return f"{self.count}/{self.seconds:g}"


def parse_rate_limit(value: object) -> RateLimit | None:
    """`COUNT/SECONDS` (e.g. `60/600`) → RateLimit; `0`, `off` or empty → None (no limit)."""
    if value is None or isinstance(value, RateLimit):
        return value
    text = str(value).strip().lower()
    if text in ("", "0", "off", "none"):
        return None
    match = re.fullmatch(r"(\d+)\s*/\s*(\d+(?:\.\d+)?)", text)
    if match is None:
        raise ValueError(f"expected COUNT/SECONDS such as 60/600, or 0 for no limit; got {value!r}")
    count, seconds = int(match[1]), float(match[2])
    if count < 1 or seconds <= 0:
        raise ValueError(f"a rate limit needs a count and a window above zero; got {value!r}")
    return RateLimit(count=count, seconds=seconds)


class SlidingWindows:
    """Per-key sliding-window logs: the times of the requests accepted in the last window.

    Only accepted requests are recorded, so a client that keeps knocking while limited gets in
    again as soon as its oldest accepted request leaves the window.
    """

    PRUNE_EVERY = 1000  # checks between sweeps of keys whose window has emptied

    def __init__(self, limit: RateLimit, clock: Clock = time.monotonic) -> None:
        self.limit = limit
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._checks = 0

    def acquire(self, key: str) -> float:
        """Record a request for `key` and return 0, or return the seconds to wait (not recorded)."""
        now = self._clock()
        horizon = now - self.limit.seconds
        with self._lock:
            self._checks += 1
            if self._checks % self.PRUNE_EVERY == 0:
                self._prune(horizon)
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= horizon:
                hits.popleft()
            if len(hits) >= self.limit.count:
                return max(hits[0] - horizon, 0.001)
            hits.append(now)
            return 0.0

    def release(self, key: str) -> None:
        """Forget the last recorded request of `key` (another limit refused it after all)."""
        with self._lock:
            hits = self._hits.get(key)
            if hits:
                hits.pop()

    def __len__(self) -> int:
        return len(self._hits)

    def _prune(self, horizon: float) -> None:
        for key in [key for key, hits in self._hits.items() if not hits or hits[-1] <= horizon]:
            del self._hits[key]


@dataclass(frozen=True)
class RateLimits:
    """The configured limits; None means unlimited."""

    conversations_per_ip: RateLimit | None
    messages_per_ip: RateLimit | None
    messages_per_conversation: RateLimit | None
    logins_per_ip: RateLimit | None


# The resident's writes to one conversation share its per-address and per-conversation windows.
_CONVERSATION_WRITE = re.compile(
    r"^/api/v1/conversations/([^/]+)/(messages|feedback|contact-requests)/?$"
)
_NEW_CONVERSATION = re.compile(r"^/api/v1/conversations/?$")
_LOGIN = re.compile(r"^/console/login/?$")


class RateLimitMiddleware:
    """Checks the POSTs of the public endpoints against their windows before they are routed."""

    def __init__(self, app: ASGIApp, *, limits: RateLimits, clock: Clock = time.monotonic) -> None:
        self.app = app

        def windows(limit: RateLimit | None) -> SlidingWindows | None:
            return SlidingWindows(limit, clock) if limit else None

        self.new_conversations = windows(limits.conversations_per_ip)
        self.messages = windows(limits.messages_per_ip)
        self.per_conversation = windows(limits.messages_per_conversation)
        self.logins = windows(limits.logins_per_ip)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        wait = self._check(scope)
        if wait > 0:
            # A refused request never reaches the router: name its route for the request log.
            scope[ROUTE_TEMPLATE_KEY] = _template(scope["path"])
            await _too_many_requests(scope, wait)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _check(self, scope: Scope) -> float:
        path: str = scope["path"]
        address = client_address(scope)
        if _NEW_CONVERSATION.match(path):
            return _acquire(self.new_conversations, f"ip:{address}")
        if _LOGIN.match(path):
            return _acquire(self.logins, f"ip:{address}")
        write = _CONVERSATION_WRITE.match(path)
        if write is None:
            return 0.0
        wait = _acquire(self.messages, f"ip:{address}")
        if wait > 0:
            return wait
        wait = _acquire(self.per_conversation, _conversation_key(write[1], scope))
        if wait > 0 and self.messages is not None:
            self.messages.release(f"ip:{address}")
        return wait


def _template(path: str) -> str:
    write = _CONVERSATION_WRITE.match(path)
    if write is not None:
        return f"/api/v1/conversations/{{conversation_id}}/{write[2]}"
    return "/console/login" if _LOGIN.match(path) else "/api/v1/conversations"


def client_address(scope: Scope) -> str:
    """The peer's address (after a trusted proxy's X-Forwarded-For, see handoff.security)."""
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def _acquire(windows: SlidingWindows | None, key: str) -> float:
    return windows.acquire(key) if windows is not None else 0.0


def _conversation_key(conversation_id: str, scope: Scope) -> str:
    """The conversation together with the credentials shown for it: a stranger guessing the id
    (whose request is refused anyway) does not use up the resident's own allowance. Only a
    digest of the header is kept in memory."""
    authorization = Headers(scope=scope).get("authorization", "")
    digest = hashlib.sha256(authorization.encode("utf-8", "replace")).hexdigest()[:16]
    return f"conversation:{conversation_id}:{digest}"


def _too_many_requests(scope: Scope, wait: float) -> Response:
    seconds = max(1, math.ceil(wait))
    headers = {"Retry-After": str(seconds)}
    accept = Headers(scope=scope).get("accept", "")
    if scope["path"].startswith("/console") and "text/html" in accept:
        return HTMLResponse(_rate_limited_page(seconds), status_code=429, headers=headers)
    return JSONResponse(
        {"detail": f"too many requests: try again in {seconds} seconds"},
        status_code=429,
        headers=headers,
    )


def _rate_limited_page(seconds: int) -> str:
    """The console's answer in a browser: both languages, as the login page is not yet personal."""
    parts: list[Any] = []
    for language in LANGUAGES:
        text = escape(resident_text("security_rate_limited", language).format(seconds=seconds))
        parts.append(f'<p lang="{language}">{text}</p>')
    return (
        '<!doctype html><html lang="fi"><head><meta charset="utf-8"><title>429</title>'
        '<link rel="stylesheet" href="/static/console.css"></head><body><main class="error">'
        f"<h1>429</h1>{''.join(parts)}"
        '<p><a href="/console/login">Neuvo</a></p></main></body></html>'
    )
