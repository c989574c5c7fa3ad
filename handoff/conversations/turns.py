"""One resident message at a time per conversation, in arrival order.

Two messages of one conversation that arrive at the same moment (a double click, two tabs) must
not reach Rasa together: its lock store is not safe for that across replicas (RasaHQ/rasa#9213).
Each message takes a place in its conversation's line when it arrives and waits for the messages
before it; other conversations are not held up. The line lives in this process: with several
service processes, route a conversation to one process (sticky sessions) or run one process.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class _Line:
    next_ticket: int = 0
    serving: int = 0
    users: int = 0
    abandoned: set[int] = field(default_factory=set)
    changed: threading.Condition = field(default_factory=threading.Condition)


class ConversationTurns:
    def __init__(self) -> None:
        self._lines: dict[str, _Line] = {}
        self._guard = threading.Lock()

    @contextmanager
    def turn(self, conversation_id: str, timeout: float | None = None) -> Iterator[None]:
        """Hold the conversation's turn; TimeoutError after `timeout` seconds in line."""
        with self._guard:
            line = self._lines.setdefault(conversation_id, _Line())
            ticket = line.next_ticket
            line.next_ticket += 1
            line.users += 1
        try:
            with line.changed:
                if not line.changed.wait_for(lambda: line.serving == ticket, timeout=timeout):
                    line.abandoned.add(ticket)  # the line skips it when it comes
                    raise TimeoutError(f"waited over {timeout} s for the conversation's turn")
            try:
                yield
            finally:
                with line.changed:
                    line.serving += 1
                    while line.serving in line.abandoned:
                        line.abandoned.discard(line.serving)
                        line.serving += 1
                    line.changed.notify_all()
        finally:
            with self._guard:
                line.users -= 1
                if line.users == 0:
                    self._lines.pop(conversation_id, None)

    def lines(self) -> int:
        """How many conversations have a message in line (for metrics and tests)."""
        with self._guard:
            return len(self._lines)
