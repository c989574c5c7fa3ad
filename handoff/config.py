"""Service settings, read from the environment (and an optional .env file)."""

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from handoff.security.cors import valid_origin
from handoff.security.proxies import valid_proxy
from handoff.security.ratelimit import RateLimit, parse_rate_limit

Language = Literal["fi", "sv"]


def _comma_separated(value: object) -> list[str]:
    """`a, b` from the environment (or a list in code) → ["a", "b"]."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise ValueError("expected a comma-separated list")
    return [str(item).strip() for item in items if str(item).strip()]


class Settings(BaseSettings):
    """Every variable here is listed in .env.example and the README."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    database_url: str = Field(
        default="sqlite:///var/neuvo.db",
        description="SQLAlchemy URL; SQLite file by default, postgresql+psycopg://… in production.",
    )
    sqlite_immediate: bool = Field(
        default=True,
        description="SQLite only: transactions take the write lock at once (tests turn it off).",
    )
    rasa_url: str = Field(default="http://127.0.0.1:5005", description="Rasa server base URL.")
    rasa_urls: str = Field(
        default="",
        description="Several Rasa replicas, comma-separated (overrides rasa_url): each "
        "conversation has a home replica and fails over to the next.",
    )
    rasa_auth_token: str = Field(
        default="", description="Token of Rasa's HTTP API (--auth-token) and its REST channel."
    )
    rasa_tracker_store_url: str = Field(
        default="sqlite:///var/rasa_trackers.db",
        description="Rasa's tracker store; `python -m handoff.retention purge` deletes old and "
        "deleted conversations' trackers there (empty: leave it alone).",
    )
    action_server_url: str = Field(
        default="http://127.0.0.1:5055", description="Rasa action server base URL."
    )
    action_server_token: str = Field(
        default="", description="The action server's token (its /health needs it)."
    )
    bot_timeout_seconds: float = Field(default=30.0, gt=0, description="Timeout of one bot turn.")
    default_language: Language = Field(
        default="fi", description="Language of a conversation started without a hint."
    )
    bootstrap_token: str | None = Field(
        default=None,
        validation_alias="HANDOFF_BOOTSTRAP_TOKEN",
        description="If set, an admin API token with exactly this value exists after startup.",
    )

    actions_token: str | None = Field(
        default=None,
        validation_alias="HANDOFF_ACTIONS_TOKEN",
        description="The action server's API token (role bot): it creates tickets with it.",
    )
    cookie_secure: bool | None = Field(
        default=None,
        validation_alias="HANDOFF_COOKIE_SECURE",
        description="Console cookies only over HTTPS: true, false, or unset to follow the "
        "request's scheme (behind a TLS proxy, list it in HANDOFF_TRUSTED_PROXIES).",
    )
    stream_seconds: float = Field(
        default=600.0,
        gt=0,
        validation_alias="HANDOFF_STREAM_SECONDS",
        description="How long one live-chat event stream stays open before the client reconnects.",
    )
    retention_days: int = Field(
        default=90,
        ge=1,
        validation_alias="HANDOFF_RETENTION_DAYS",
        description="Transcripts (and unanswered questions) untouched for longer are purged by "
        "`python -m handoff.retention purge`; a conversation with an open ticket is kept.",
    )
    closed_ticket_retention_days: int = Field(
        default=365,
        ge=1,
        validation_alias="HANDOFF_CLOSED_TICKET_RETENTION_DAYS",
        description="Tickets that are done and untouched for longer are purged with their history.",
    )
    county_file: Path = Field(
        default=Path("county/itauusimaa.yml"),
        validation_alias="NEUVO_COUNTY_FILE",
        description="The county configuration file (YAML).",
    )
    log_format: Literal["json", "text"] = Field(
        default="json",
        validation_alias="HANDOFF_LOG_FORMAT",
        description="json: one JSON object per log line; text: plain lines for reading.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", validation_alias="HANDOFF_LOG_LEVEL", description="The service's log level."
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        validation_alias="HANDOFF_CORS_ORIGINS",
        description="Origins (https://county.example) whose pages embed the widget, "
        "comma-separated; only the resident chat API answers them. Empty: same origin only.",
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        validation_alias="HANDOFF_TRUSTED_PROXIES",
        description="Addresses or networks (comma-separated) of reverse proxies whose "
        "X-Forwarded-For and X-Forwarded-Proto are believed. Empty: the peer is the client.",
    )
    rate_limit_conversations_per_ip: Annotated[RateLimit | None, NoDecode] = Field(
        default=RateLimit(60, 600),
        validation_alias="HANDOFF_RATE_LIMIT_CONVERSATIONS_PER_IP",
        description="New conversations per client address: COUNT/SECONDS, 0 = no limit.",
    )
    rate_limit_messages_per_ip: Annotated[RateLimit | None, NoDecode] = Field(
        default=RateLimit(600, 60),
        validation_alias="HANDOFF_RATE_LIMIT_MESSAGES_PER_IP",
        description="Messages, feedback and contact requests per client address.",
    )
    rate_limit_messages_per_conversation: Annotated[RateLimit | None, NoDecode] = Field(
        default=RateLimit(20, 60),
        validation_alias="HANDOFF_RATE_LIMIT_MESSAGES_PER_CONVERSATION",
        description="Messages, feedback and contact requests per conversation.",
    )
    rate_limit_logins_per_ip: Annotated[RateLimit | None, NoDecode] = Field(
        default=RateLimit(10, 60),
        validation_alias="HANDOFF_RATE_LIMIT_LOGINS_PER_IP",
        description="Console login attempts per client address.",
    )

    @field_validator(
        "rate_limit_conversations_per_ip",
        "rate_limit_messages_per_ip",
        "rate_limit_messages_per_conversation",
        "rate_limit_logins_per_ip",
        mode="before",
    )
    @classmethod
    def _rate_limit(cls, value: object) -> RateLimit | None:
        return parse_rate_limit(value)

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _origins(cls, value: object) -> list[str]:
        return [valid_origin(item) for item in _comma_separated(value)]

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _proxies(cls, value: object) -> list[str]:
        return [valid_proxy(item) for item in _comma_separated(value)]

    @field_validator("bootstrap_token", "actions_token")
    @classmethod
    def _token_is_strong(cls, value: str | None, info: ValidationInfo) -> str | None:
        name = (
            "HANDOFF_BOOTSTRAP_TOKEN"
            if info.field_name == "bootstrap_token"
            else "HANDOFF_ACTIONS_TOKEN"
        )
        if value is not None and value != "" and len(value) < 16:
            raise ValueError(f"{name} must be at least 16 characters long")
        return value or None


def rasa_url_list(settings: Settings) -> list[str]:
    """The Rasa replicas to use: RASA_URLS, or RASA_URL alone."""
    urls = [url.strip() for url in settings.rasa_urls.split(",") if url.strip()]
    return urls or [settings.rasa_url]


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (cached; tests build their own Settings)."""
    return Settings()
