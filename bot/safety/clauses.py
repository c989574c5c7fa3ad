"""Sentences and clauses of a message, with their offsets in the original text.

A sentence ends at . ! ? or a line break; a clause also ends at a comma, a semicolon, a colon, a
dash or a coordinating conjunction (ja, mutta, mut, sit, och, o, men). Time phrases and reporting
words ("viime vuonna", "i höstas", "dokumentti") are read within their clause only, so that "isä
kuoli viime vuonna ja äiti ei hengitä" keeps its emergency: splitting finely errs toward danger.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"[.!?…]+(?=\s|$)|\n+")
_CLAUSE_END = re.compile(
    r",|[;:](?=\s)|[()]|\s[–—-]\s|\b(?:ja|mutta|mut|mutku|sitten|sit|och|o|å|men|fast)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str

    def covers(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end


def _split(text: str, start: int, end: int, boundary: re.Pattern[str]) -> list[Span]:
    spans: list[Span] = []
    cursor = start
    for found in boundary.finditer(text, start, end):
        if found.start() > cursor:
            spans.append(Span(cursor, found.start(), text[cursor : found.start()]))
        cursor = found.end()
    if end > cursor:
        spans.append(Span(cursor, end, text[cursor:end]))
    return [span for span in (_trimmed(text, s) for s in spans) if span is not None]


def _trimmed(text: str, span: Span) -> Span | None:
    start, end = span.start, span.end
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return Span(start, end, text[start:end]) if end > start else None


def sentences(text: str) -> list[Span]:
    """The sentences of `text`, in order."""
    return _split(text, 0, len(text), _SENTENCE_END)


def clauses(text: str) -> list[Span]:
    """The clauses of `text`, in order (each within one sentence)."""
    found: list[Span] = []
    for sentence in sentences(text):
        found += _split(text, sentence.start, sentence.end, _CLAUSE_END)
    return found
