"""The handoff service application: create_app() wires settings, database, bot and routers."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from handoff.auth.service import ACTIONS_TOKEN_NAME, ensure_bootstrap_token, ensure_named_token
from handoff.bot.client import Bot, RasaBot
from handoff.config import Settings, get_settings, rasa_url_list
from handoff.console.router import router as console_router
from handoff.console.security import LoginRequired
from handoff.conversations.router import router as conversations_router
from handoff.conversations.turns import ConversationTurns
from handoff.county.loader import load_county
from handoff.db import make_engine, make_session_factory
from handoff.errors import register_error_handlers
from handoff.health.router import router as health_router
from handoff.language.detector import LanguageDetection
from handoff.observability.logging import configure_logging
from handoff.observability.metrics import Metrics
from handoff.observability.middleware import RequestObserverMiddleware
from handoff.observability.router import router as metrics_router
from handoff.security import setup as security
from handoff.tickets.due_dates import WorkingDays
from handoff.tickets.router import router as tickets_router
from handoff.triage.router import router as triage_router
from handoff.unanswered.router import router as unanswered_router
from handoff.web.router import router as web_router
from handoff.web.templating import STATIC_DIR

logger = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, *, bot: Bot | None = None) -> FastAPI:
    """Build the app. Tests pass their own settings (and may pass another Bot implementation)."""
    settings = settings or get_settings()
    configure_logging(settings.log_format, settings.log_level)
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.county = load_county(settings.county_file)
        app.state.calendar = WorkingDays()
        engine = make_engine(settings.database_url, sqlite_immediate=settings.sqlite_immediate)
        app.state.settings = settings
        app.state.session_factory = make_session_factory(engine)
        app.state.stream_session_factory = app.state.session_factory  # tests replace it
        app.state.languages = LanguageDetection()
        app.state.turns = ConversationTurns()
        rasa_bot = None
        if bot is None:
            rasa_bot = RasaBot(
                rasa_urls=rasa_url_list(settings),
                action_server_url=settings.action_server_url,
                action_server_token=settings.action_server_token,
                rasa_auth_token=settings.rasa_auth_token,
                timeout_seconds=settings.bot_timeout_seconds,
            )
        app.state.bot = bot or rasa_bot
        with app.state.session_factory() as db:
            if settings.bootstrap_token:
                ensure_bootstrap_token(db=db, token=settings.bootstrap_token)
                logger.info("bootstrap admin token is in place")
            if settings.actions_token:
                ensure_named_token(
                    db=db, name=ACTIONS_TOKEN_NAME, token=settings.actions_token, role="bot"
                )
        yield
        if rasa_bot is not None:
            rasa_bot.close()
        engine.dispose()

    app = FastAPI(
        title="Neuvo handoff service",
        version="0.1.0",
        description="Resident chat API of Neuvo, the bilingual advice assistant.",
        lifespan=lifespan,
    )
    app.state.metrics = metrics
    register_error_handlers(app)

    async def to_login(_request: Request, _error: Exception) -> RedirectResponse:
        return RedirectResponse("/console/login", status_code=303)

    app.add_exception_handler(LoginRequired, to_login)
    app.include_router(health_router)
    app.include_router(conversations_router)
    app.include_router(tickets_router)
    app.include_router(triage_router)
    app.include_router(unanswered_router)
    app.include_router(console_router)
    app.include_router(web_router)
    app.include_router(metrics_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # Middleware, innermost first: rate limits; CORS (so that a 429 reaches the widget); the
    # request observer (request ids, logs, 5xx counts, its own 500 answer); security headers on
    # everything; client addresses and scheme from trusted proxies before anything reads them.
    security.add_rate_limits(app, settings)
    security.add_cors(app, settings)
    app.add_middleware(RequestObserverMiddleware, metrics=metrics)
    security.add_security_headers(app)
    security.add_trusted_proxies(app, settings)
    return app
