"""Residents as Locust users (library mode): each one runs scripted conversations one after the
other, one turn per task, through the service's public API ("api") or straight to Rasa's REST
channel ("direct"). Importing this module imports Locust, which patches the standard library for
gevent: scripts/bench.py patches first, before anything else is imported."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import gevent
from locust import FastHttpUser, task
from locust.env import Environment

from benchmark.conversations import Script, Step
from benchmark.figures import Sample, SentMessage
from handoff.bot.client import parse_rasa_messages
from handoff.bot.replicas import ReplicaRing
from handoff.texts import resident_text
from handoff.tickets.references import ALPHABET, LENGTH

Mode = Literal["api", "direct"]
TURN = "turn"
CREATE = "create conversation"
CONTACT = "contact request"
REFERENCE = re.compile(rf"\b[A-Z]{{2,5}}-[{ALPHABET}]{{{LENGTH}}}\b")


def fallback_of(kinds: list[str], texts: list[str], language: str) -> str | None:
    """Which fallback a reply was: the bot could not be reached ("bot_unavailable"), a message
    with a phone number was saved as a contact request meanwhile ("contact_saved"), or the bot did
    not understand ("not_understood")."""
    if resident_text("bot_unavailable", language) in texts:
        return "bot_unavailable"
    saved = resident_text("contact_request_saved", language).split("{reference}")[0]
    if any(text.startswith(saved) for text in texts):
        return "contact_saved"
    return "not_understood" if "fallback" in kinds else None


@dataclass
class Chat:
    """One scripted conversation as run: its id and token, and every message sent to it."""

    script: Script
    conversation_id: str
    token: str
    position: int = 0
    sent: list[SentMessage] = field(default_factory=list)
    references: list[str] = field(default_factory=list)  # ticket references the resident got
    unexpected: int = 0  # turns whose last bot message was not of the expected kind

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Plan:
    """What the residents of one run do, and what they record."""

    mode: Mode
    service_url: str
    rasa_urls: list[str]
    rasa_token: str
    scripts: list[Script]
    think_seconds: float = 0.0
    pause_after_error: float = 1.0
    chats: list[Chat] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)
    statuses: dict[str, dict[int, int]] = field(default_factory=dict)  # request name → status → n
    _started: int = 0

    def __post_init__(self) -> None:
        self.ring = ReplicaRing(self.rasa_urls)

    def next_script(self) -> Script:
        """The scripts in their order, round and round, shared by all residents: the mix is the
        same in every run."""
        script = self.scripts[self._started % len(self.scripts)]
        self._started += 1
        return script

    def count(self, name: str, status: int) -> None:
        by_status = self.statuses.setdefault(name, {})
        by_status[status] = by_status.get(status, 0) + 1


class Resident(FastHttpUser):
    abstract = True
    host = "http://127.0.0.1"
    network_timeout = 120.0  # above the service's own limit for a turn (2 × bot timeout)
    connection_timeout = 10.0
    plan: ClassVar[Plan]

    def wait_time(self) -> float:
        return self.plan.think_seconds

    def on_start(self) -> None:
        self.chat: Chat | None = None

    @task
    def step(self) -> None:
        if self.chat is None:
            self.chat = self.open_chat(self.plan.next_script())
            if self.chat is None:
                gevent.sleep(self.plan.pause_after_error)
            return
        chat = self.chat
        step = chat.script.steps[chat.position]
        ok = self.contact_request(chat, step) if step.contact_phone else self.say(chat, step)
        chat.position += 1
        if not ok:  # the resident starts over after a moment, as after a reload of the page
            self.chat = None
            gevent.sleep(self.plan.pause_after_error)
        elif chat.position == len(chat.script.steps):
            self.chat = None

    def post(self, url: str, name: str, **kwargs: Any) -> tuple[int, Any]:
        """POST and return (status, JSON body or None); 0 when no response came."""
        with self.client.post(url, name=name, catch_response=True, **kwargs) as response:
            status = response.status_code or 0
            self.plan.count(name, status)
            try:
                body = json.loads(response.content) if response.content else None
            except ValueError:
                body = None
            if status in (200, 201):
                response.success()
            else:
                response.failure(f"HTTP {status}")
            return status, body

    def open_chat(self, script: Script) -> Chat | None:
        """A conversation through the service's API, in both modes: in direct mode too, a hand-off's
        ticket needs a conversation the service knows (not timed as a turn)."""
        status, body = self.post(
            f"{self.plan.service_url}/api/v1/conversations",
            CREATE,
            json={"language": script.language},
        )
        if status != 201 or not isinstance(body, dict):
            return None
        chat = Chat(script=script, conversation_id=body["conversation_id"], token=body["token"])
        self.plan.chats.append(chat)
        return chat

    def say(self, chat: Chat, step: Step) -> bool:
        assert step.message is not None
        if self.plan.mode == "api":
            status, kinds, texts, reference = self.say_through_api(chat, step)
        else:
            status, kinds, texts, reference = self.say_to_rasa(chat, step)
        sent = SentMessage(
            text=None if step.is_payload else step.message,
            payload=step.message if step.is_payload else None,
            status=status,
            kinds=kinds,
            fallback=fallback_of(kinds, texts, chat.script.language),
            reference=reference,
            expects_ticket=step.ticket,
        )
        chat.sent.append(sent)
        if reference:
            chat.references.append(reference)
        if status == 200 and step.kind and (not kinds or kinds[-1] != step.kind):
            chat.unexpected += 1
        return status == 200

    def say_through_api(
        self, chat: Chat, step: Step
    ) -> tuple[int, list[str], list[str], str | None]:
        field_name = "payload" if step.is_payload else "text"
        status, body = self.post(
            f"{self.plan.service_url}/api/v1/conversations/{chat.conversation_id}/messages",
            TURN,
            json={field_name: step.message},
            headers=chat.headers,
        )
        if status != 200 or not isinstance(body, dict):
            return status, [], [], None
        messages = body.get("messages") or []
        ticket = body.get("ticket") or {}
        # After a ticket the service adds a system message (a live-chat offer): not the bot's.
        return (
            status,
            [str(m.get("kind")) for m in messages if m.get("sender") == "bot"],
            [str(m.get("text")) for m in messages],
            ticket.get("reference"),
        )

    def say_to_rasa(self, chat: Chat, step: Step) -> tuple[int, list[str], list[str], str | None]:
        replica = self.plan.ring.home(chat.conversation_id)  # the replica the service would use
        status, body = self.post(
            f"{replica.url}/webhooks/rest/webhook",
            TURN,
            json={
                "sender": chat.conversation_id,
                "message": step.message,
                "metadata": {"language": chat.script.language},
            },
            headers={"Authorization": f"Bearer {self.plan.rasa_token}"},
        )
        if status != 200 or not isinstance(body, list):
            return status, [], [], None
        messages = parse_rasa_messages(body)
        found = [m for message in messages for m in REFERENCE.findall(message.text)]
        kinds = [message.kind for message in messages]
        reference = found[-1] if found and "handoff" in kinds else None
        return status, kinds, [message.text for message in messages], reference

    def contact_request(self, chat: Chat, step: Step) -> bool:
        status, body = self.post(
            f"{self.plan.service_url}/api/v1/conversations/{chat.conversation_id}/contact-requests",
            CONTACT,
            json={"phone": step.contact_phone, "description": step.contact_description},
            headers=chat.headers,
        )
        if status == 201 and isinstance(body, dict):
            chat.references.append(body["ticket"]["reference"])
        return status == 201


class LoadRun:
    """`users` residents following `plan` until stopped; a resident's turn in progress is
    finished (and recorded) when the run stops."""

    def __init__(self, plan: Plan, users: int) -> None:
        self.plan = plan
        self.users = users
        user_class = type(f"{plan.mode.title()}Resident", (Resident,), {"plan": plan})
        self.environment = Environment(user_classes=[user_class], stop_timeout=150.0)
        self.environment.events.request.add_listener(self._record)
        self.runner = self.environment.create_local_runner()
        self.started = 0.0

    def _record(
        self,
        *,
        name: str,
        start_time: float,
        response_time: float,
        exception: BaseException | None,
        **_: Any,
    ) -> None:
        self.plan.samples.append(Sample(name, start_time, response_time, exception is None))

    def start(self) -> None:
        self.started = time.time()
        self.runner.start(self.users, spawn_rate=self.users)

    def stop(self) -> None:
        self.runner.stop()
        self.runner.quit()

    @property
    def load_generator_overloaded(self) -> bool:
        """Locust's own warning: its process used over 90 % of a core (its timings then grow)."""
        return bool(self.runner.cpu_warning_emitted)

    @property
    def errors(self) -> int:
        """Exceptions raised in the residents' code (a bug in the benchmark, not the system)."""
        return sum(row["count"] for row in self.runner.exceptions.values())
