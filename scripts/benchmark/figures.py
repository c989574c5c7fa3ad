"""Figures from the raw records of a run: percentiles, throughput in a time window, and whether
every message the service accepted is in its conversation's transcript. No I/O, no Locust."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from handoff.privacy import mask_personal_data


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (`fraction` 0.5 for p50, 0.95 for p95) of `values`."""
    if not values:
        raise ValueError("no values")
    if not 0 < fraction <= 1:
        raise ValueError("fraction must be in (0, 1]")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


@dataclass(frozen=True)
class Sample:
    """One request as Locust timed it (start and end in seconds since the epoch)."""

    name: str
    start: float
    milliseconds: float
    ok: bool

    @property
    def end(self) -> float:
        return self.start + self.milliseconds / 1000


@dataclass(frozen=True)
class WindowFigures:
    turns: int
    failed: int
    p50_ms: float | None
    p95_ms: float | None
    max_ms: float | None
    turns_per_second: float


def window_figures(
    samples: Iterable[Sample], *, name: str, start: float, end: float
) -> WindowFigures:
    """Latency of the `name` requests that finished inside [start, end), and how many finished
    per second there: in a steady state that is the throughput, whatever the latency."""
    if end <= start:
        raise ValueError("the window is empty")
    inside = [s for s in samples if s.name == name and start <= s.end < end]
    times = [s.milliseconds for s in inside if s.ok]
    return WindowFigures(
        turns=len(times),
        failed=len(inside) - len(times),
        p50_ms=percentile(times, 0.5) if times else None,
        p95_ms=percentile(times, 0.95) if times else None,
        max_ms=max(times) if times else None,
        turns_per_second=len(times) / (end - start),
    )


@dataclass
class SentMessage:
    """One resident message as the benchmark sent it, and what came back."""

    text: str | None
    payload: str | None
    status: int  # the HTTP status; 0 when no response came (connection refused or dropped)
    kinds: list[str] = field(default_factory=list)
    fallback: str | None = None  # "bot_unavailable", "contact_saved", "not_understood"
    reference: str | None = None
    expects_ticket: bool = False

    @property
    def accepted(self) -> bool:
        return self.status == 200


@dataclass
class TranscriptCheck:
    accepted: int = 0
    stored: int = 0
    lost: list[SentMessage] = field(default_factory=list)  # accepted, not in the transcript
    stored_unanswered: int = 0  # not accepted (no answer came), stored all the same
    out_of_order: int = 0  # stored messages that did not match the next message sent

    def add(self, other: TranscriptCheck) -> None:
        self.accepted += other.accepted
        self.stored += other.stored
        self.lost.extend(other.lost)
        self.stored_unanswered += other.stored_unanswered
        self.out_of_order += other.out_of_order


def stored_form(message: SentMessage) -> tuple[str | None, str | None]:
    """What the service stores for a sent message: text and payload with personal data masked."""
    return (
        mask_personal_data(message.text) if message.text is not None else None,
        mask_personal_data(message.payload) if message.payload is not None else None,
    )


def check_transcript(
    sent: Sequence[SentMessage], transcript: Sequence[dict[str, Any]]
) -> TranscriptCheck:
    """Compare the messages sent to one conversation (one at a time, in order) with the resident
    messages of its transcript."""
    check = TranscriptCheck()
    stored = [
        (m.get("text"), m.get("payload")) for m in transcript if m.get("sender") == "resident"
    ]
    position = 0
    for message in sent:
        check.accepted += message.accepted
        if position < len(stored) and stored[position] == stored_form(message):
            position += 1
            check.stored += 1
            check.stored_unanswered += not message.accepted
        elif message.accepted:
            check.lost.append(message)
    check.out_of_order = len(stored) - position
    return check
