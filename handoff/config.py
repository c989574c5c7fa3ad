"""Service settings, read from the environment (and an optional .env file)."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Language = Literal["fi", "sv"]


class Settings(BaseSettings):
    """Every variable here is listed in .env.example and the README."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    database_url: str = Field(
        default="sqlite:///var/neuvo.db",
        description="SQLAlchemy URL; SQLite file by default, postgresql+psycopg://… in production.",
    )
    rasa_url: str = Field(default="http://127.0.0.1:5005", description="Rasa server base URL.")
    rasa_auth_token: str = Field(default="", description="Token of Rasa's HTTP API (--auth-token).")
    action_server_url: str = Field(
        default="http://127.0.0.1:5055", description="Rasa action server base URL."
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
    county_file: Path = Field(
        default=Path("county/itauusimaa.yml"),
        validation_alias="NEUVO_COUNTY_FILE",
        description="The county configuration file (YAML).",
    )

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


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (cached; tests build their own Settings)."""
    return Settings()
