"""Typed FastAPI dependencies shared by the routers."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy.orm import Session

from handoff.auth.tokens import bearer_token
from handoff.bot.client import Bot
from handoff.config import Settings
from handoff.conversations.turns import ConversationTurns
from handoff.county.schema import CountyConfig
from handoff.db import session_scope
from handoff.language.detector import LanguageDetection
from handoff.tickets.due_dates import WorkingDays


def get_db(request: Request) -> Iterator[Session]:
    yield from session_scope(request.app.state.session_factory)


def get_bot(request: Request) -> Bot:
    bot: Bot = request.app.state.bot
    return bot


def get_languages(request: Request) -> LanguageDetection:
    languages: LanguageDetection = request.app.state.languages
    return languages


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_bearer_token(
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> str | None:
    return bearer_token(authorization)


SessionDep = Annotated[Session, Depends(get_db)]
BotDep = Annotated[Bot, Depends(get_bot)]
LanguagesDep = Annotated[LanguageDetection, Depends(get_languages)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
BearerTokenDep = Annotated[str | None, Depends(get_bearer_token)]


def get_county(request: Request) -> CountyConfig:
    county: CountyConfig = request.app.state.county
    return county


def get_calendar(request: Request) -> WorkingDays:
    calendar: WorkingDays = request.app.state.calendar
    return calendar


CountyDep = Annotated[CountyConfig, Depends(get_county)]
CalendarDep = Annotated[WorkingDays, Depends(get_calendar)]


def get_turns(request: Request) -> ConversationTurns:
    turns: ConversationTurns = request.app.state.turns
    return turns


TurnsDep = Annotated[ConversationTurns, Depends(get_turns)]
