"""What the resident's messages said, as the NLU read them: entities of a message about a matter,
or `neuvo_need` of a common question (bot/components/nlu.py)."""

from functools import cache
from typing import Any

from bot.components.short_replies import ShortReplies

NEED_KEY = "neuvo_need"


@cache
def _short_replies() -> ShortReplies:
    return ShortReplies()


def leading_reply(text: str) -> str | None:
    """The short reply (affirm, deny, …) a message starts with: "joo laita vaan eteenpäin"."""
    return _short_replies().leading(text)


def said(message: dict[str, Any], entity: str) -> str | None:
    """The value of `entity` in the message (a hospital's town is not where a person lives)."""
    for found in message.get("entities") or []:
        if found.get("entity") == entity and found.get("role") != "hospital":
            return str(found.get("value"))
    value = (message.get(NEED_KEY) or {}).get(entity)
    return None if value is None else str(value)


def user_messages(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The parse data of every message the resident typed, oldest first (button payloads too)."""
    return [
        {**(event.get("parse_data") or {}), "text": event.get("text") or ""}
        for event in events
        if event.get("event") == "user"
    ]


def said_before(
    events: list[dict[str, Any]], entity: str, *, skip: tuple[str, ...] = ()
) -> str | None:
    """The latest value of `entity` in any message of the conversation (values in `skip` left
    out)."""
    for message in reversed(user_messages(events)):
        value = said(message, entity)
        if value is not None and value not in skip:
            return value
    return None


def offered_contact(events: list[dict[str, Any]]) -> bool:
    """The bot's last message before the resident's latest one offered contact (`custom.offer`)."""
    seen_user = False
    for event in reversed(events):
        if event.get("event") == "user":
            if seen_user:
                return False
            seen_user = True
        elif event.get("event") == "bot" and seen_user:
            custom = (event.get("data") or {}).get("custom") or {}
            return isinstance(custom, dict) and custom.get("offer") == "contact"
    return False


def carried_this_turn(events: list[dict[str, Any]], slot: str) -> Any:
    """The value action_start_handoff carried into `slot` since the resident's latest message (a
    common question's area), or None. The action's own events follow it; a form re-reading the
    message appends its candidates after them, so the first value is the carried one."""
    value, carrying = None, False
    for event in events:
        if event.get("event") == "user":
            value, carrying = None, False
        elif event.get("event") == "action":
            carrying = event.get("name") == "action_start_handoff"
        elif carrying and value is None and event.get("event") == "slot":
            value = event.get("value") if event.get("name") == slot else None
    return value
