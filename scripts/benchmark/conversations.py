"""The scripted conversations of conversations.yml, one script per conversation and language."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

FILE = Path(__file__).with_name("conversations.yml")
LANGUAGES = ("fi", "sv")


@dataclass(frozen=True)
class Step:
    """A message typed or a button chosen (`message`), or a contact request left through the API."""

    message: str | None = None
    kind: str | None = None  # the kind of the bot's last message expected after it
    ticket: bool = False  # the turn should end with a ticket
    contact_phone: str | None = None
    contact_description: str | None = None

    @property
    def is_payload(self) -> bool:
        return self.message is not None and self.message.startswith("/")


@dataclass(frozen=True)
class Script:
    name: str
    language: str
    steps: tuple[Step, ...]

    @property
    def label(self) -> str:
        return f"{self.name} ({self.language})"


def _step(raw: dict[str, Any]) -> Step:
    if "contact_request" in raw:
        request = raw["contact_request"]
        return Step(contact_phone=request["phone"], contact_description=request["description"])
    return Step(message=str(raw["text"]), kind=raw.get("kind"), ticket=bool(raw.get("ticket")))


def load(section: str, path: Path = FILE) -> list[Script]:
    """The scripts of `section` (mix or tickets), Finnish and Swedish interleaved so that any
    run of consecutive scripts has both languages."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    scripts = []
    for conversation in data[section]:
        for language in LANGUAGES:
            steps = tuple(_step(raw) for raw in conversation[language])
            scripts.append(Script(conversation["name"], language, steps))
    return scripts
