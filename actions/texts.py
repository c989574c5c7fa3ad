"""The one place in the actions that picks a text by language: from the domain's responses."""

from typing import Any


def response_text(domain: dict[str, Any], response: str, language: str) -> str:
    """The text of `response`'s variation for `language` (used for button titles)."""
    for variation in domain.get("responses", {}).get(response, []):
        for condition in variation.get("condition") or []:
            if condition.get("name") == "language" and condition.get("value") == language:
                return str(variation["text"])
    raise KeyError(f"{response} has no {language} variation")
