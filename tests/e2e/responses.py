"""The bot's responses as the domain defines them, to tell which response a reply's text is."""

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]


@cache
def responses() -> dict[str, list[dict[str, Any]]]:
    merged: dict[str, list[dict[str, Any]]] = {}
    for path in sorted((ROOT / "bot" / "domain").glob("*.yml")):
        merged.update(
            (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {}
        )
    return merged


@cache
def response_patterns(name: str, language: str) -> list[re.Pattern[str]]:
    patterns = []
    for variation in responses()[name]:
        conditions = variation.get("condition") or []
        if {"type": "slot", "name": "language", "value": language} in conditions:
            parts = re.split(r"\{\w+\}", " ".join(variation["text"].split()))
            patterns.append(re.compile(".+?".join(re.escape(part) for part in parts), re.DOTALL))
    assert patterns, f"{name} has no {language} variation"
    return patterns


def matches(text: str, name: str, language: str) -> bool:
    """True when `text` is a variation of response `name` in `language` (placeholders filled)."""
    normalised = " ".join(text.split())
    return any(pattern.fullmatch(normalised) for pattern in response_patterns(name, language))


def response_names(text: str, language: str) -> list[str]:
    """Every response `text` is a variation of (usually one)."""
    return [name for name in responses() if matches(text, name, language)]
