"""Liveness and readiness probes."""

import logging
import time
from collections.abc import Callable
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text

from handoff.deps import BotDep, SessionDep

logger = logging.getLogger(__name__)
router = APIRouter(tags=["health"])


class DependencyCheck(BaseModel):
    """One dependency's answer to the readiness probe and how long it took."""

    status: Literal["up", "down"]
    latency_ms: float


class Readiness(BaseModel):
    status: Literal["ready", "not ready"]
    checks: dict[str, DependencyCheck]


def _check(name: str, probe: Callable[[], bool]) -> DependencyCheck:
    """Run one probe; an exception counts as down (its class is logged, not its message)."""
    started = time.perf_counter()
    try:
        up = probe()
    except Exception as error:
        logger.warning("readiness check %s failed: %s", name, error.__class__.__name__)
        up = False
    latency_ms = round((time.perf_counter() - started) * 1000, 1)
    return DependencyCheck(status="up" if up else "down", latency_ms=latency_ms)


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    response_model=Readiness,
    responses={503: {"description": "A dependency is not reachable", "model": Readiness}},
)
def readyz(db: SessionDep, bot: BotDep) -> JSONResponse:
    """The database, Rasa (with a model loaded) and the action server answer; each with its
    status (up or down) and latency."""

    def database() -> bool:
        db.execute(text("SELECT 1"))
        return True

    checks = {
        "database": _check("database", database),
        "rasa": _check("rasa", bot.rasa_ready),
        "action_server": _check("action_server", bot.action_server_ready),
    }
    ready = all(check.status == "up" for check in checks.values())
    body = Readiness(status="ready" if ready else "not ready", checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if ready else 503)
