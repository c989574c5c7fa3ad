"""The service's own texts (the bot's are in bot/domain), in Finnish and Swedish: texts/*.yml."""

from functools import cache
from pathlib import Path

import yaml

TEXTS_DIR = Path(__file__).parent
LANGUAGES = ("fi", "sv")


@cache
def _load() -> dict[str, dict[str, str]]:
    texts: dict[str, dict[str, str]] = {}
    for path in sorted(TEXTS_DIR.glob("*.yml")):
        for key, variants in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            if key in texts:
                raise ValueError(f"{path}: text {key!r} is defined twice")
            for language in LANGUAGES:
                if not str(variants.get(language, "")).strip():
                    raise ValueError(f"{path}: text {key!r} has no {language!r} version")
            texts[key] = {language: str(variants[language]).strip() for language in LANGUAGES}
    return texts


def resident_text(key: str, language: str) -> str:
    """The text `key` in the given language."""
    return _load()[key][language]


def text_keys(prefix: str = "") -> list[str]:
    return sorted(key for key in _load() if key.startswith(prefix))
