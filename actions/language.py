"""Slots filled on every message: the language (from the service's metadata) and the urgency."""

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

LANGUAGES = ("fi", "sv")
URGENCY_ORDER = ("none", "concern", "crisis", "emergency")
URGENCY_OF_INTENT = {
    "emergency": "emergency",
    "crisis": "crisis",
    "concern": "concern",
    "request_human": "concern",
}


def higher_urgency(current: str | None, new: str | None) -> str:
    levels = [level for level in (current, new) if level in URGENCY_ORDER]
    return max(levels, key=URGENCY_ORDER.index) if levels else "none"


class ValidateSlotMappings(ValidationAction):
    """Rasa's hook for custom slot mappings (action_validate_slot_mappings)."""

    def name(self) -> str:
        return "action_validate_slot_mappings"

    async def extract_language(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The language the service detected for this message; unchanged if none was sent."""
        metadata = tracker.latest_message.get("metadata") or {}
        language = metadata.get("language")
        if language in LANGUAGES:
            return {"language": language}
        return {}

    async def extract_urgency(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The highest urgency so far: from the intent and the safety layer's `urgency` entity."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        from_entities = [
            entity.get("value")
            for entity in tracker.latest_message.get("entities") or []
            if entity.get("entity") == "urgency"
        ]
        urgency = tracker.get_slot("urgency")
        for candidate in [URGENCY_OF_INTENT.get(intent or ""), *from_entities]:
            urgency = higher_urgency(urgency, candidate)
        if urgency == (tracker.get_slot("urgency") or "none"):
            return {}
        return {"urgency": urgency}
