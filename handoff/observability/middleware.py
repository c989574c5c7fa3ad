"""The request observer: gives each request an id, binds the app's metrics for the services,
logs one line per request (route template, never the raw path or query) and counts 5xx."""

import logging
import re
import time
import uuid

from starlette.datastructures import MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from handoff.observability import metrics as metrics_module
from handoff.observability.logging import request_id_var
from handoff.observability.metrics import Metrics
from handoff.security.ratelimit import ROUTE_TEMPLATE_KEY

logger = logging.getLogger("handoff.access")
errors_logger = logging.getLogger("handoff.errors")

REQUEST_ID_HEADER = "X-Request-ID"
_GIVEN_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
# Probes and scrapes are logged at DEBUG only: they would drown the rest.
QUIET_ROUTES = frozenset({"/healthz", "/readyz", "/metrics"})
UNMATCHED = "<unmatched>"


def route_template(scope: Scope) -> str:
    """The matched route's path template (/api/v1/conversations/{conversation_id}/messages), the
    one the rate limits named for a request they refused, the mount's prefix for static files, or
    <unmatched>: bounded, and free of ids and tokens."""
    template = getattr(scope.get("route"), "path_format", None) or scope.get(ROUTE_TEMPLATE_KEY)
    if isinstance(template, str) and template:
        return template
    if "app_root_path" in scope:  # inside a mount (/static)
        return str(scope.get("root_path") or UNMATCHED)
    if "endpoint" in scope and not scope.get("path_params"):
        return str(scope["path"])  # FastAPI's own pages (/docs, /openapi.json): fixed paths
    return UNMATCHED


def _request_id(scope: Scope) -> str:
    """The caller's X-Request-ID when it looks like one (a proxy's), else a fresh one."""
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            given: str = value.decode("latin-1")
            if _GIVEN_ID.fullmatch(given):
                return given
    return uuid.uuid4().hex


class RequestObserverMiddleware:
    """Outside the routes and the rate limits, inside the security headers."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        id_token = request_id_var.set(request_id)
        metrics_token = metrics_module.bind(self.metrics)
        started = time.perf_counter()
        status = 500
        response_started = False

        async def observing_send(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, observing_send)
        except Exception:
            status = 500
            errors_logger.exception(
                "unhandled error in %s %s", scope["method"], route_template(scope)
            )
            if response_started:
                raise  # too late for an answer of our own: let the server close the connection
            response = JSONResponse(
                {"detail": "internal server error", "request_id": request_id},
                status_code=500,
                headers={REQUEST_ID_HEADER: request_id},
            )
            await response(scope, receive, send)
        finally:
            self._finish(scope, status, started)
            metrics_module.unbind(metrics_token)
            request_id_var.reset(id_token)

    def _finish(self, scope: Scope, status: int, started: float) -> None:
        route = route_template(scope)
        method = scope["method"]
        # A 503 of the readiness probe is its answer (a dependency is down), not a failure.
        if status >= 500 and not (route == "/readyz" and status == 503):
            self.metrics.server_error(method=method, route=route)
        logger.log(
            logging.DEBUG if route in QUIET_ROUTES and status < 500 else logging.INFO,
            "%s %s %s",
            method,
            route,
            status,
            extra={
                "method": method,
                "route": route,
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
