"""A scripted stand-in for Rasa in the service's unit tests (the e2e tests use the real one)."""

from dataclasses import dataclass, field
from typing import Any

from handoff.bot.client import BotMessage, BotUnavailable


@dataclass
class ScriptedBot:
    """Answers every message with one reply that echoes it; can be switched off."""

    available: bool = True
    calls: list[dict[str, str]] = field(default_factory=list)
    replies: list[BotMessage] | None = None
    parsed: dict[str, Any] = field(
        default_factory=lambda: {"intent": {"name": "greet"}, "entities": []}
    )
    parse_calls: list[str] = field(default_factory=list)

    def send(self, *, conversation_id: str, message: str, language: str) -> list[BotMessage]:
        self.calls.append(
            {"conversation_id": conversation_id, "message": message, "language": language}
        )
        if not self.available:
            raise BotUnavailable("switched off in the test")
        if self.replies is not None:
            return self.replies
        return [BotMessage(kind="answer", text=f"[{language}] {message}")]

    def parse(self, text: str) -> dict[str, Any]:
        self.parse_calls.append(text)
        if not self.available:
            raise BotUnavailable("switched off in the test")
        return self.parsed

    def rasa_ready(self) -> bool:
        return self.available

    def action_server_ready(self) -> bool:
        return self.available
