"""Liveness and readiness probes."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from handoff.deps import BotDep, SessionDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "A dependency is not reachable"}})
def readyz(db: SessionDep, bot: BotDep) -> JSONResponse:
    """The database, Rasa (with a model loaded) and the action server are reachable."""
    try:
        db.execute(text("SELECT 1"))
        database = True
    except Exception:
        database = False
    checks = {
        "database": database,
        "rasa": bot.rasa_ready(),
        "action_server": bot.action_server_ready(),
    }
    ready = all(checks.values())
    return JSONResponse(
        {"status": "ready" if ready else "not ready", "checks": checks},
        status_code=200 if ready else 503,
    )
