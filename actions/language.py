"""Slots filled on every message: the language (from the service's metadata) and the urgency;
and the checks of what any message fills (a phone number "same as above", a request to be
contacted as consent, whom and which area once known)."""

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

from actions.said import said_before
from bot.components.contact_rules import SAME_NUMBER

LANGUAGES = ("fi", "sv")
URGENCY_ORDER = ("none", "concern", "crisis", "emergency")
CRISIS_KIND_ORDER = ("unknown", "mental", "violence", "violence_now")
# Slots a form asks for that any message may fill, checked on every message.
ANY_MESSAGE_SLOTS = ("concerns", "service_area", "handoff_consent", "contact_phone")
URGENCY_OF_INTENT = {
    "emergency": "emergency",
    "crisis": "crisis",
    "concern": "concern",
    "request_human": "concern",
}


def higher_urgency(current: str | None, new: str | None) -> str:
    levels = [level for level in (current, new) if level in URGENCY_ORDER]
    return max(levels, key=URGENCY_ORDER.index) if levels else "none"


def before_this_message(tracker: Tracker, slot: str) -> Any:
    """The slot's value before the latest message (Rasa validates extracted slots on a tracker that
    already holds the new values)."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "slot" and event.get("name") == slot:
            return event.get("value")
    return None


class ValidateSlotMappings(ValidationAction):
    """Rasa's hook for custom slot mappings (action_validate_slot_mappings)."""

    def name(self) -> str:
        return "action_validate_slot_mappings"

    def domain_slots(self, domain: DomainDict) -> list[str]:
        """rasa_sdk checks here only slots no form asks for; these are filled from any message
        too (bot/domain/handoff.yml), and what fills them outside a form is checked here."""
        return [*super().domain_slots(domain), *ANY_MESSAGE_SLOTS]

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

    def validate_contact_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """ "Sama kuin yllä" / "samma nummer": the number given earlier in the conversation."""
        if value != SAME_NUMBER:
            return {}
        return {"contact_phone": said_before(tracker.events, "phone", skip=(SAME_NUMBER,))}

    def validate_handoff_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A request to be contacted (the `contact_request` entity) is the consent."""
        return {"handoff_consent": True} if value == "yes" else {}

    def validate_concerns(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """ "I" in a later message ("voisko joku soittaa mulle") does not make a matter told about a
        relative or a neighbour the resident's own; only an answer to "whom?" changes it."""
        known = before_this_message(tracker, "concerns")
        asked = tracker.get_slot("requested_slot") == "concerns"
        # the writer's own age ("ja e 29") does tell that it is their own matter
        own_age = any(
            entity.get("entity") == "age_hint"
            for entity in tracker.latest_message.get("entities") or []
        )
        if value == "self" and known in ("close_person", "other") and not (asked or own_age):
            return {"concerns": known}
        return {}

    def validate_service_area(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """An area read only from an age or the model ("se on 81", "kävelee rollaattorilla") does
        not replace an area already known from the resident's words, a button or a common
        question's topic (transport service → disability); curated terms and an answer to the
        area question do."""
        known = before_this_message(tracker, "service_area")
        roles = {
            entity.get("role")
            for entity in tracker.latest_message.get("entities") or []
            if entity.get("entity") == "service_area"
        }
        asked = tracker.get_slot("requested_slot") == "service_area"
        if known and known != value and roles and roles <= {"age", "model"} and not asked:
            return {"service_area": known}
        return {}

    def validate_crisis_kind(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A later message read as a crisis of another kind does not lose violence told before:
        the answers keep 112 and Nollalinja in front."""
        known = before_this_message(tracker, "crisis_kind")
        ranked = known in CRISIS_KIND_ORDER and value in CRISIS_KIND_ORDER
        if ranked and CRISIS_KIND_ORDER.index(known) > CRISIS_KIND_ORDER.index(value):
            return {"crisis_kind": known}
        return {}
