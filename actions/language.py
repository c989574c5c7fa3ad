"""Fills the `language` slot on every message from the metadata the handoff service sends."""

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

LANGUAGES = ("fi", "sv")


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
