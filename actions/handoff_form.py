"""The hand-off form: consent, then the phone number, a good time to call and an optional name."""

import re
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

# A Finnish phone number: +358 or 0, then 6 to 11 digits; spaces and hyphens between digits.
PHONE = re.compile(r"^(?:\+358|00358|0)(?:[ -]?\d){6,11}$")
# Through the handoff service the bot never sees the number: the service takes it out of the
# message, keeps it, and sends [phone:NNNN] (its last four digits); the ticket carries that.
PHONE_REFERENCE = re.compile(r"\[phone:\d{4}\]")
YES_WORDS = {"kyllä", "kylla", "joo", "juu", "ok", "ja", "jo", "gärna", "garna", "okej", "saa"}
MAX_FREE_TEXT = 200


def normalise_phone(text: str) -> str | None:
    """The number (digits only), or the service's [phone:NNNN] anywhere in the answer."""
    candidate = text.strip()
    if (reference := PHONE_REFERENCE.search(candidate)) is not None:
        return reference.group(0)
    return re.sub(r"[ -]", "", candidate) if PHONE.match(candidate) else None


class ValidateHandoffForm(FormValidationAction):
    def name(self) -> str:
        return "validate_handoff_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Nothing more is asked once the resident declines."""
        if tracker.get_slot("handoff_consent") is False:
            return []
        return domain_slots

    def validate_handoff_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if isinstance(value, bool):
            return {"handoff_consent": value}
        if isinstance(value, str) and value.strip().lower().rstrip("!.") in YES_WORDS:
            return {"handoff_consent": True}
        dispatcher.utter_message(response="utter_choose_from_buttons")
        return {"handoff_consent": None}

    def validate_contact_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        phone = normalise_phone(str(value)) if value else None
        if phone is None:
            dispatcher.utter_message(response="utter_invalid_phone")
        return {"contact_phone": phone}

    def validate_contact_time(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "skip":
            return {"contact_time": "any"}
        return {"contact_time": str(value).strip()[:MAX_FREE_TEXT] or "any"}

    def validate_contact_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent in ("skip", "deny") or not str(value).strip() or str(value).startswith("/"):
            return {"contact_name": "-"}
        return {"contact_name": str(value).strip()[:MAX_FREE_TEXT]}
