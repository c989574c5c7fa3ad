"""The only client of the Rasa server and the action server.

Every bot response carries a `custom: {kind: …}` part next to its text (see bot/domain); Rasa's
REST channel sends that part as a separate message right after the text, and it is folded back
into the message it belongs to here.
"""

import logging
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, get_args

import httpx

from handoff.bot.replicas import ReplicaRing

logger = logging.getLogger(__name__)

MessageKind = Literal["answer", "question", "fallback", "handoff", "emergency", "info"]
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
    """Talks to Rasa's REST channel (one or more replicas) and checks the health of Rasa and the
    action server.

    Each conversation goes to its home replica on a hash ring (handoff.bot.replicas); when that
    replica cannot be reached, the next one serves it (the shared tracker store has the state).
    A message moves to the next replica when its replica refuses the connection, or drops it and
    no longer answers (it died). A replica that is alive but failed or timed out may have
    processed the message, so the resident gets the fallback instead of the message being
    processed twice. (A replica that saved the turn and died before answering would have it
    processed again: a narrow window, accepted.)
    """

    def __init__(
        self,
        *,
        rasa_urls: list[str],
        action_server_url: str,
        rasa_auth_token: str,
        action_server_token: str = "",
        timeout_seconds: float,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.ring = ReplicaRing(rasa_urls)
        self._action_server_url = action_server_url.rstrip("/")
        self._rasa_auth_token = rasa_auth_token
        self._webhook_headers = {"Authorization": f"Bearer {rasa_auth_token}"}
        self._action_server_headers = {"Authorization": f"Bearer {action_server_token}"}
        self._timeout = timeout_seconds
        # No kept-alive connections: a message to a replica that died since the last turn then
        # fails to connect (and moves to the next replica) instead of failing on a dead socket,
        # where it could not be told whether the replica got the message. Localhost: cheap.
        self._http = httpx.Client(
            transport=transport,
            timeout=timeout_seconds,
            limits=httpx.Limits(max_keepalive_connections=0),
        )

    def close(self) -> None:
        self._http.close()

    def send(self, *, conversation_id: str, message: str, language: str) -> list[BotMessage]:
        """One turn: the resident's message in, the bot's messages out."""
        if not self.action_server_ready():
            raise BotUnavailable("the action server is not reachable")
        body = {"sender": conversation_id, "message": message, "metadata": {"language": language}}
        for replica in self.ring.order_for(conversation_id):
            try:
                response = self._http.post(
                    f"{replica.url}/webhooks/rest/webhook", json=body, headers=self._webhook_headers
                )
            except (httpx.ConnectError, httpx.ConnectTimeout) as error:
                logger.warning(
                    "Rasa replica %s unreachable (%s); trying the next",
                    replica.url,
                    error.__class__.__name__,
                )
                self.ring.mark_down(replica)
                continue
            except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError) as error:
                # The connection dropped. If the replica is gone it can no longer be handling the
                # message: the next replica takes it. If it still answers, it may have the message.
                if self._alive(replica.url):
                    name = error.__class__.__name__
                    raise BotUnavailable(f"Rasa dropped the message: {name}") from error
                logger.warning("Rasa replica %s died during a turn; trying the next", replica.url)
                self.ring.mark_down(replica)
                continue
            except httpx.HTTPError as error:
                raise BotUnavailable(f"Rasa did not answer: {error.__class__.__name__}") from error
            if response.status_code in (502, 503):  # a proxy or a replica still starting
                self.ring.mark_down(replica)
                continue
            self.ring.mark_up(replica)
            try:
                response.raise_for_status()
                raw = response.json()
            except (httpx.HTTPError, ValueError) as error:
                raise BotUnavailable(f"Rasa did not answer: {error.__class__.__name__}") from error
            if not isinstance(raw, list):
                raise BotUnavailable("Rasa answered with something other than a list of messages")
            return parse_rasa_messages(raw)
        raise BotUnavailable("no Rasa replica is reachable")

    def _alive(self, url: str) -> bool:
        try:
            return self._http.get(f"{url}/", timeout=1.0).status_code == 200
        except httpx.HTTPError:
            return False

    def _token(self) -> dict[str, str] | None:
        return {"token": self._rasa_auth_token} if self._rasa_auth_token else None

    def parse(self, text: str) -> dict[str, Any]:
        """Rasa's NLU reading of a text (intent and entities), without touching any conversation."""
        for replica in self.ring.order_for(text):
            try:
                response = self._http.post(
                    f"{replica.url}/model/parse", params=self._token(), json={"text": text}
                )
                response.raise_for_status()
                parsed = response.json()
            except (httpx.ConnectError, httpx.ConnectTimeout):
                self.ring.mark_down(replica)
                continue
            except (httpx.HTTPError, ValueError) as error:
                raise BotUnavailable(f"Rasa did not parse: {error.__class__.__name__}") from error
            if not isinstance(parsed, dict):
                raise BotUnavailable("Rasa answered the parse with something other than an object")
            return parsed
        raise BotUnavailable("no Rasa replica is reachable")

    def replica_ready(self, url: str) -> bool:
        """True when this replica answers and has a model loaded."""
        try:
            response = self._http.get(f"{url}/status", params=self._token(), timeout=2.0)
        except httpx.HTTPError:
            return False
        return response.status_code == 200 and bool(response.json().get("model_file"))

    def rasa_ready(self) -> bool:
        """True when at least one replica answers with a model loaded (the others fail over)."""
        return any(self.replica_ready(replica.url) for replica in self.ring.replicas)

    def action_server_ready(self) -> bool:
        try:
            response = self._http.get(
                f"{self._action_server_url}/health",
                headers=self._action_server_headers,
                timeout=2.0,
            )
        except httpx.HTTPError:
            return False
        return response.status_code == 200
