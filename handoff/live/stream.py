"""Server-sent events of a conversation: new messages and mode changes, for both sides.

The stream polls the database (every half second) instead of an in-process channel, so that it
works the same with several service processes behind a load balancer.
"""

import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from handoff.conversations.models import Conversation, Message
from handoff.conversations.schemas import TranscriptMessage

POLL_SECONDS = 0.5
HEARTBEAT_SECONDS = 15.0
SSE_HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}


def _event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def _changes(
    factory: sessionmaker[Session], conversation_id: str, after: int, senders: tuple[str, ...]
) -> tuple[str | None, list[dict[str, Any]]]:
    with factory() as db:
        conversation = db.get(Conversation, conversation_id)
        if conversation is None:
            return None, []
        query = (
            select(Message)
            .where(Message.conversation_id == conversation_id, Message.id > after)
            .order_by(Message.id)
            .limit(200)
        )
        rows = [m for m in db.scalars(query)]
        messages = [
            {
                **TranscriptMessage.model_validate(m).model_dump(mode="json"),
                "_include": m.sender in senders,
            }
            for m in rows
        ]
        return conversation.mode, messages


async def conversation_events(
    *,
    factory: sessionmaker[Session],
    conversation_id: str,
    after: int,
    senders: tuple[str, ...],
    is_disconnected: Callable[[], Any],
    max_seconds: float,
) -> AsyncIterator[str]:
    """SSE text: `message` events (of `senders`) with id > after, and `mode` events."""
    last_mode: str | None = None
    started = anyio.current_time()
    last_sent = started
    yield ": connected\n\n"
    while anyio.current_time() - started < max_seconds:  # then the client reconnects
        if await is_disconnected():
            return
        mode, messages = await anyio.to_thread.run_sync(
            _changes, factory, conversation_id, after, senders
        )
        if mode is None:
            yield _event("gone", {"conversation_id": conversation_id})
            return
        for message in messages:
            after = max(after, message["id"])
            if message.pop("_include"):
                yield _event("message", message)
                last_sent = anyio.current_time()
        if mode != last_mode:
            yield _event("mode", {"mode": mode})
            last_mode = mode
            last_sent = anyio.current_time()
        if anyio.current_time() - last_sent > HEARTBEAT_SECONDS:
            yield ": ping\n\n"
            last_sent = anyio.current_time()
        await anyio.sleep(POLL_SECONDS)
