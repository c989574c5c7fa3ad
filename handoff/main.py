"""The handoff service application: create_app() wires settings, database, bot and routers."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from handoff.auth.service import ACTIONS_TOKEN_NAME, ensure_bootstrap_token, ensure_named_token
from handoff.bot.client import Bot, RasaBot
from handoff.config import Settings, get_settings
from handoff.conversations.router import router as conversations_router
from handoff.county.loader import load_county
from handoff.db import make_engine, make_session_factory
from handoff.errors import register_error_handlers
from handoff.health.router import router as health_router
from handoff.language.detector import LanguageDetection
from handoff.tickets.due_dates import WorkingDays
from handoff.tickets.router import router as tickets_router
from handoff.triage.router import router as triage_router
from handoff.unanswered.router import router as unanswered_router

logger = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, *, bot: Bot | None = None) -> FastAPI:
    """Build the app. Tests pass their own settings (and may pass another Bot implementation)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.county = load_county(settings.county_file)
        app.state.calendar = WorkingDays()
        engine = make_engine(settings.database_url)
        app.state.settings = settings
        app.state.session_factory = make_session_factory(engine)
        app.state.languages = LanguageDetection()
        rasa_bot = None
        if bot is None:
            rasa_bot = RasaBot(
                rasa_url=settings.rasa_url,
                action_server_url=settings.action_server_url,
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
    register_error_handlers(app)
    app.include_router(health_router)
    app.include_router(conversations_router)
    app.include_router(tickets_router)
    app.include_router(triage_router)
    app.include_router(unanswered_router)
    return app
