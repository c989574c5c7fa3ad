"""The only client of the Rasa server and the action server.

Every bot response carries a `custom: {kind: …}` part next to its text (see bot/domain); Rasa's
REST channel sends that part as a separate message right after the text, and it is folded back
into the message it belongs to here.
"""

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, get_args

import httpx

MessageKind = Literal["answer", "question", "fallback", "handoff", "emergency"]
KINDS: frozenset[str] = frozenset(get_args(MessageKind))


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass
class BotMessage:
    kind: MessageKind
    text: str
    buttons: list[Button] = field(default_factory=list)


class BotUnavailable(Exception):
    """Rasa or the action server could not serve this turn."""


class Bot(Protocol):
    def send(self, *, conversation_id: str, message: str, language: str) -> list[BotMessage]: ...

    def parse(self, text: str) -> dict[str, Any]: ...

    def rasa_ready(self) -> bool: ...

    def action_server_ready(self) -> bool: ...


def parse_rasa_messages(raw: list[dict[str, Any]]) -> list[BotMessage]:
    """Turn the REST channel's output into bot messages with their kinds."""
    messages: list[BotMessage] = []
    for item in raw:
        text = item.get("text")
        if isinstance(text, str) and text.strip():
            buttons = [
                Button(title=str(button["title"]), payload=str(button["payload"]))
                for button in item.get("buttons") or []
                if "title" in button and "payload" in button
            ]
            messages.append(BotMessage(kind="answer", text=text, buttons=buttons))
        custom = item.get("custom")
        if isinstance(custom, dict) and custom.get("kind") in KINDS and messages:
            messages[-1].kind = custom["kind"]
    return messages


class RasaBot:
    """Talks to Rasa's REST channel and checks the health of Rasa and the action server."""

    def __init__(
        self,
        *,
        rasa_url: str,
        action_server_url: str,
        rasa_auth_token: str,
        timeout_seconds: float,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._rasa_url = rasa_url.rstrip("/")
        self._action_server_url = action_server_url.rstrip("/")
        self._rasa_auth_token = rasa_auth_token
        self._timeout = timeout_seconds
        self._http = httpx.Client(transport=transport, timeout=timeout_seconds)

    def close(self) -> None:
        self._http.close()

    def send(self, *, conversation_id: str, message: str, language: str) -> list[BotMessage]:
        """One turn: the resident's message in, the bot's messages out."""
        if not self.action_server_ready():
            raise BotUnavailable("the action server is not reachable")
        try:
            response = self._http.post(
                f"{self._rasa_url}/webhooks/rest/webhook",
                json={
                    "sender": conversation_id,
                    "message": message,
                    "metadata": {"language": language},
                },
            )
            response.raise_for_status()
            raw = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise BotUnavailable(f"Rasa did not answer: {error.__class__.__name__}") from error
        if not isinstance(raw, list):
            raise BotUnavailable("Rasa answered with something other than a list of messages")
        return parse_rasa_messages(raw)

    def parse(self, text: str) -> dict[str, Any]:
        """Rasa's NLU reading of a text (intent and entities), without touching any conversation."""
        try:
            response = self._http.post(
                f"{self._rasa_url}/model/parse",
                params={"token": self._rasa_auth_token} if self._rasa_auth_token else None,
                json={"text": text},
            )
            response.raise_for_status()
            parsed = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise BotUnavailable(f"Rasa did not parse: {error.__class__.__name__}") from error
        if not isinstance(parsed, dict):
            raise BotUnavailable("Rasa answered the parse with something other than an object")
        return parsed

    def rasa_ready(self) -> bool:
        """True when Rasa answers and has a model loaded."""
        try:
            response = self._http.get(
                f"{self._rasa_url}/status",
                params={"token": self._rasa_auth_token} if self._rasa_auth_token else None,
                timeout=2.0,
            )
        except httpx.HTTPError:
            return False
        return response.status_code == 200 and bool(response.json().get("model_file"))

    def action_server_ready(self) -> bool:
        try:
            response = self._http.get(f"{self._action_server_url}/health", timeout=2.0)
        except httpx.HTTPError:
            return False
        return response.status_code == 200
