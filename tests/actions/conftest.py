"""Helpers for action tests: the real domain files and trackers built from dicts."""

from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """bot/domain/*.yml merged the way Rasa merges a domain directory (slots and responses)."""
    merged: dict[str, Any] = {"slots": {}, "responses": {}, "intents": [], "actions": []}
    for path in sorted((ROOT / "bot" / "domain").glob("*.yml")):
        part = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        merged["slots"].update(part.get("slots") or {})
        merged["responses"].update(part.get("responses") or {})
        merged["intents"] += part.get("intents") or []
        merged["actions"] += part.get("actions") or []
    return merged


def make_tracker(
    *,
    slots: dict[str, Any] | None = None,
    metadata: dict[str, Any] | None = None,
    text: str = "hei",
    intent: str = "greet",
    entities: list[dict[str, Any]] | None = None,
    events: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
) -> Tracker:
    """A tracker whose latest message is `text`; `entities` as {"entity", "value", "role"?}."""
    return Tracker(
        sender_id="test-conversation",
        slots=slots or {},
        latest_message={
            "text": text,
            "intent": {"name": intent},
            "entities": entities or [],
            "metadata": metadata or {},
        },
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def user_event(text: str, intent: str, **parse: Any) -> dict[str, Any]:
    """A resident's message as the tracker's events hold it."""
    return {
        "event": "user",
        "text": text,
        "parse_data": {"intent": {"name": intent}, "entities": [], **parse},
    }


def entity(name: str, value: str, role: str | None = None) -> dict[str, Any]:
    found = {"entity": name, "value": value}
    return {**found, "role": role} if role else found
