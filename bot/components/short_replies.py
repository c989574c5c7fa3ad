"""Whole-message short replies (greetings, farewells, thanks, yes, no) from a curated list:
bot/lexicon/short_replies.yml. Pure and fast; used by the ShortReplies NLU component."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.components.lexicon import LANGUAGES, LEXICON_DIR, fold

_NOT_WORD = re.compile(r"[^\w\s]+")


def normalise(text: str) -> str:
    """Folded, lower-case, without punctuation or emoji, single spaces."""
    return " ".join(_NOT_WORD.sub(" ", fold(text)).split())


class ShortReplies:
    def __init__(self, path: Path | None = None) -> None:
        raw = yaml.safe_load(
            (path or LEXICON_DIR / "short_replies.yml").read_text(encoding="utf-8")
        )
        self._intent: dict[str, str] = {}
        for intent, by_language in raw.items():
            for language, replies in by_language.items():
                if language not in LANGUAGES:
                    raise ValueError(f"{intent}: unknown language {language!r}")
                for reply in replies:
                    key = normalise(str(reply))
                    if self._intent.get(key, intent) != intent:
                        raise ValueError(f"{reply!r} is in both {self._intent[key]} and {intent}")
                    self._intent[key] = intent

    def intent(self, text: str) -> str | None:
        return self._intent.get(normalise(text))

    def leading(self, text: str, *, words: int = 3) -> str | None:
        """The short reply a longer message starts with ("joo laita vaan eteenpäin" → affirm),
        for an answer to a yes-or-no question."""
        tokens = normalise(text).split()
        for length in range(min(words, len(tokens)), 0, -1):
            found = self._intent.get(" ".join(tokens[:length]))
            if found is not None:
                return found
        return None
