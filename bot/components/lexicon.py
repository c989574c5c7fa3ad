"""Curated term lists matched with spaCy's rule Matcher on accent-folded text.

A term is space-separated token patterns: `word` (exact), `stem*` (prefix, for Finnish
inflection) and `?` (any one token, optional). Text and terms are lower-cased and folded
(ä→a, ö→o, å→a) character by character, so offsets stay those of the original text and a
resident who types "hengita" matches "hengitä".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spacy
import yaml
from spacy.matcher import Matcher

LEXICON_DIR = Path(__file__).resolve().parent.parent / "lexicon"
LANGUAGES = ("fi", "sv")
_FOLD = str.maketrans({"ä": "a", "ö": "o", "å": "a", "é": "e", "ü": "u", "’": "'"})


def fold(text: str) -> str:
    """Lower-case and fold accents without changing the length of the text."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text).translate(_FOLD)


def token_pattern(term: str) -> list[dict[str, Any]]:
    pattern: list[dict[str, Any]] = []
    for part in fold(term).split():
        if part == "?":
            pattern.append({"OP": "?"})
        elif part.endswith("*"):
            pattern.append({"LOWER": {"REGEX": "^" + _escape(part[:-1])}})
        else:
            pattern.append({"LOWER": part})
    if not pattern or all(p.get("OP") == "?" for p in pattern):
        raise ValueError(f"term {term!r} has no word to match")
    return pattern


def _escape(text: str) -> str:
    return "".join("\\" + c if c in r".^$*+?{}[]\|()" else c for c in text)


@dataclass(frozen=True)
class Hit:
    category: str
    term: str
    start: int
    end: int
    text: str


class Lexicon:
    """Finds which categories' terms occur in a text, in Finnish and Swedish."""

    def __init__(self, terms: dict[str, dict[str, list[str]]]) -> None:
        self._nlp = {language: spacy.blank(language) for language in LANGUAGES}
        self._matchers = {language: Matcher(self._nlp[language].vocab) for language in LANGUAGES}
        self._terms: dict[str, tuple[str, str]] = {}
        for category, by_language in terms.items():
            for language, category_terms in by_language.items():
                if language not in LANGUAGES:
                    raise ValueError(f"{category}: unknown language {language!r}")
                for index, term in enumerate(category_terms or []):
                    key = f"{category}|{language}|{index}"
                    self._terms[key] = (category, str(term))
                    self._matchers[language].add(key, [token_pattern(str(term))])

    @classmethod
    def from_file(cls, name: str, *, section: str | None = None) -> Lexicon:
        """Load bot/lexicon/<name>.yml (or one top-level section of it)."""
        path = LEXICON_DIR / name
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return cls(loaded[section] if section else loaded)

    def hits(self, text: str) -> list[Hit]:
        """Every term occurrence, longest first where they overlap in one category."""
        folded = fold(text)
        found: list[Hit] = []
        for language in LANGUAGES:
            doc = self._nlp[language](folded)
            for match_id, start, end in self._matchers[language](doc):
                key = self._nlp[language].vocab.strings[match_id]
                category, term = self._terms[key]
                span = doc[start:end]
                found.append(
                    Hit(
                        category,
                        term,
                        span.start_char,
                        span.end_char,
                        text[span.start_char : span.end_char],
                    )
                )
        return sorted(found, key=lambda hit: (hit.start, -(hit.end - hit.start)))

    def categories(self, text: str) -> dict[str, list[Hit]]:
        grouped: dict[str, list[Hit]] = {}
        for hit in self.hits(text):
            grouped.setdefault(hit.category, []).append(hit)
        return grouped
