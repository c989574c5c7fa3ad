"""Which Rasa replica serves a conversation: consistent hashing, health, fail-over order.

Rasa Open Source's lock store is not safe when two replicas handle one conversation at the same
time (RasaHQ/rasa#9213), so every conversation has one home replica: the first replica clockwise
from the conversation id's point on a hash ring (with virtual nodes, so that adding or removing a
replica moves only about 1/N of the conversations). When the home replica is down, the next
replica on the ring serves the conversation; the shared tracker store has its state.
"""

import bisect
import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

VIRTUAL_NODES = 64
DOWN_SECONDS = 5.0  # a replica that failed is skipped this long, then tried again


def _point(key: str) -> int:
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")


@dataclass
class Replica:
    url: str
    down_until: float = 0.0


class ReplicaRing:
    """The replicas on a hash ring, with a short memory of which ones failed."""

    def __init__(self, urls: list[str], *, clock: Callable[[], float] = time.monotonic) -> None:
        cleaned = [url.rstrip("/") for url in urls if url.strip()]
        if not cleaned:
            raise ValueError("at least one Rasa URL is needed")
        if len(set(cleaned)) != len(cleaned):
            raise ValueError("a Rasa URL is listed twice")
        self.replicas = [Replica(url) for url in cleaned]
        self._clock = clock
        self._lock = threading.Lock()
        ring = sorted(
            (_point(f"{replica.url}#{node}"), index)
            for index, replica in enumerate(self.replicas)
            for node in range(VIRTUAL_NODES)
        )
        self._points = [point for point, _ in ring]
        self._owners = [index for _, index in ring]

    def order_for(self, conversation_id: str) -> list[Replica]:
        """Every replica, the conversation's home first, then clockwise; healthy ones first."""
        start = bisect.bisect(self._points, _point(conversation_id)) % len(self._points)
        seen: list[int] = []
        for offset in range(len(self._owners)):
            owner = self._owners[(start + offset) % len(self._owners)]
            if owner not in seen:
                seen.append(owner)
                if len(seen) == len(self.replicas):
                    break
        ordered = [self.replicas[index] for index in seen]
        now = self._clock()
        return [r for r in ordered if r.down_until <= now] + [
            r for r in ordered if r.down_until > now
        ]

    def home(self, conversation_id: str) -> Replica:
        """The replica that serves the conversation while every replica is healthy."""
        start = bisect.bisect(self._points, _point(conversation_id)) % len(self._points)
        return self.replicas[self._owners[start]]

    def mark_down(self, replica: Replica) -> None:
        with self._lock:
            replica.down_until = self._clock() + DOWN_SECONDS

    def mark_up(self, replica: Replica) -> None:
        with self._lock:
            replica.down_until = 0.0
