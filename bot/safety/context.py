"""Whether a clause or a sentence tells of something happening now.

A clause with a phrase of the past ("kaksi vuotta sitten", "i höstas"), of reporting ("dokumentti",
"skolarbete") or of denial ("ei oo mikään hätätilanne", "ingen fara") and no word of the present
("nyt", "just nu", "tänä iltana") is no present danger. Everything else is: in doubt, now.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.components.lexicon import Hit
from bot.safety.clauses import Span, clauses, sentences

CONTEXT_CATEGORIES = ("past", "report", "denial")
NOW = "now_markers"
HYPOTHETICAL = "hypothetical"
RECENT_PAST = "recent_past"


@dataclass(frozen=True)
class Context:
    """The clauses and sentences of one message and which of them are not about now."""

    clauses: list[Span]
    sentences: list[Span]
    _not_now_clauses: frozenset[int]
    _now_clauses: frozenset[int]
    _hypothetical_clauses: frozenset[int] = frozenset()
    _recent_clauses: frozenset[int] = frozenset()
    _denial_clauses: frozenset[int] = frozenset()

    @classmethod
    def of(cls, text: str, found: dict[str, list[Hit]]) -> Context:
        parts = clauses(text)

        def marked(categories: tuple[str, ...]) -> frozenset[int]:
            return frozenset(
                index
                for index, clause in enumerate(parts)
                for category in categories
                for hit in found.get(category, [])
                if clause.start <= hit.start < clause.end
            )

        now = marked((NOW,))
        # A word of now does not undo a denial: "nyt kaikki on hyvin" is still no danger.
        return cls(
            clauses=parts,
            sentences=sentences(text),
            _not_now_clauses=(marked(("past", "report")) - now) | marked(("denial",)),
            _now_clauses=now,
            _hypothetical_clauses=marked((HYPOTHETICAL,)) - now,
            _recent_clauses=marked((RECENT_PAST,)) - now,
            _denial_clauses=marked(("denial",)),
        )

    def clause_at(self, start: int) -> int | None:
        for index, clause in enumerate(self.clauses):
            if clause.start <= start < clause.end:
                return index
        return None

    def is_now(self, start: int) -> bool:
        """Whether the words at `start` tell of the present (their clause has no past, report or
        denial phrase, or has a word of the present too)."""
        index = self.clause_at(start)
        return index is None or index not in self._not_now_clauses

    def is_hypothetical(self, start: int) -> bool:
        """Whether the words at `start` are in a clause of "if" ("jos", "om") with no word of
        now."""
        return self.clause_at(start) in self._hypothetical_clauses

    def is_yesterday(self, start: int) -> bool:
        """Whether the words at `start` are in a clause of yesterday with no word of now."""
        return self.clause_at(start) in self._recent_clauses

    def span_is_now(self, span: Span) -> bool:
        """Whether a sentence (or the message) tells of the present: it has no clause that is
        not about now, or it has a word of the present."""
        inside = [
            index
            for index, clause in enumerate(self.clauses)
            if span.start <= clause.start and clause.end <= span.end
        ]
        if any(index in self._now_clauses for index in inside):
            return True
        return not any(index in self._not_now_clauses for index in inside)

    @property
    def has_denial(self) -> bool:
        return bool(self._denial_clauses)
