"""The service's own resident-facing texts (the bot's: bot/domain), in Finnish and Swedish."""

from functools import cache
from pathlib import Path

import yaml

TEXTS_FILE = Path(__file__).with_name("resident.yml")
LANGUAGES = ("fi", "sv")


@cache
def _load() -> dict[str, dict[str, str]]:
    loaded = yaml.safe_load(TEXTS_FILE.read_text(encoding="utf-8"))
    for key, variants in loaded.items():
        for language in LANGUAGES:
            if not str(variants.get(language, "")).strip():
                raise ValueError(f"{TEXTS_FILE}: text {key!r} has no {language!r} version")
    return {
        key: {lang: str(variants[lang]).strip() for lang in LANGUAGES}
        for key, variants in loaded.items()
    }


def resident_text(key: str, language: str) -> str:
    """The text `key` in the resident's language."""
    return _load()[key][language]


def text_keys() -> list[str]:
    return sorted(_load())
