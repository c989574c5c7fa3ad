"""Prometheus metrics of the service, in a registry of each app's own (GET /metrics).

Labels carry no personal data: languages, outcomes, service task ids, route templates and
methods only, never a conversation id. Services record through current(): the metrics of the
app serving the request (bound by the request observer), or a detached set nobody scrapes when
a service runs outside a request (the CLI, unit tests).
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from typing import Literal

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
)

disable_created_metrics()  # type: ignore[no-untyped-call]  # no *_created series: half the output

TurnOutcome = Literal["bot", "fallback", "advisor"]
FallbackReason = Literal["not_understood", "bot_unavailable"]

# A bot turn takes from tens of milliseconds to the timeout (30 s by default).
BOT_CALL_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 20.0, 30.0, 60.0)


class Metrics:
    """The service's counters, histogram and gauge."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.turns = Counter(
            "neuvo_turns",
            "Resident messages taken, by language and who answered (bot, fallback, advisor).",
            ["language", "outcome"],
            registry=self.registry,
        )
        self.bot_call_seconds = Histogram(
            "neuvo_bot_call_seconds",
            "Duration of one call to the bot (Rasa) for a resident's message.",
            ["result"],
            buckets=BOT_CALL_BUCKETS,
            registry=self.registry,
        )
        self.handoffs = Counter(
            "neuvo_handoffs",
            "Tickets created by a chat turn, by the service task (worklist) they were routed to.",
            ["service_task"],
            registry=self.registry,
        )
        self.fallbacks = Counter(
            "neuvo_fallbacks",
            "Turns answered with the fallback: the bot did not understand, or was unavailable.",
            ["language", "reason"],
            registry=self.registry,
        )
        self.server_errors = Counter(
            "neuvo_http_server_errors",
            "Responses with a 5xx status, by method and route template.",
            ["method", "route"],
            registry=self.registry,
        )
        self.live_chats_waiting = Gauge(
            "neuvo_live_chats_waiting",
            "Residents waiting in the live-chat queue (computed when scraped).",
            registry=self.registry,
        )

    @contextmanager
    def bot_call(self) -> Iterator[None]:
        """Time one bot call; a call that raises is observed with result="unavailable"."""
        started = time.perf_counter()
        result = "unavailable"
        try:
            yield
            result = "ok"
        finally:
            self.bot_call_seconds.labels(result=result).observe(time.perf_counter() - started)

    def turn(
        self,
        *,
        language: str,
        outcome: TurnOutcome,
        fallback: FallbackReason | None = None,
        service_task: str | None = None,
    ) -> None:
        """Count one resident message: who answered, the fallback's reason, the hand-off."""
        self.turns.labels(language=language, outcome=outcome).inc()
        if fallback is not None:
            self.fallbacks.labels(language=language, reason=fallback).inc()
        if service_task is not None:
            self.handoffs.labels(service_task=service_task).inc()

    def server_error(self, *, method: str, route: str) -> None:
        self.server_errors.labels(method=method, route=route).inc()


_current: ContextVar[Metrics | None] = ContextVar("neuvo_metrics", default=None)
_detached = Metrics()


def current() -> Metrics:
    """The metrics of the app serving this request (a detached set outside requests)."""
    return _current.get() or _detached


def bind(metrics: Metrics) -> Token[Metrics | None]:
    return _current.set(metrics)


def unbind(token: Token[Metrics | None]) -> None:
    _current.reset(token)
