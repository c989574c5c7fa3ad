"""The hand-off form: consent, then the phone number, a good time to call and an optional name."""

import re
from functools import cache
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.said import leading_reply, said, said_before
from bot.components.contact_rules import SAME_NUMBER, ContactRules

# A Finnish phone number: +358 or 0, then 6 to 11 digits; spaces and hyphens between digits.
PHONE = re.compile(r"^(?:\+358|00358|0)(?:[ -]?\d){6,11}$")
# Through the handoff service the bot never sees the number: the service takes it out of the
# message, keeps it, and sends [phone:NNNN] (its last four digits); the ticket carries that.
PHONE_REFERENCE = re.compile(r"\[phone:\d{4}\]")
MAX_FREE_TEXT = 200
# What a message may correct while the consent question waits.
CORRECTABLE = ("municipality", "concerns", "service_area")


def normalise_phone(text: str) -> str | None:
    """The number (digits only), or the service's [phone:NNNN] anywhere in the answer."""
    candidate = text.strip()
    if (reference := PHONE_REFERENCE.search(candidate)) is not None:
        return reference.group(0)
    return re.sub(r"[ -]", "", candidate) if PHONE.match(candidate) else None


@cache
def _rules() -> ContactRules:
    return ContactRules()


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
        """Yes or no in words ("joo laita vaan", "ja gärna", "ei kiitos"), or asking for a call. A
        correction of what was told ("nä vänta, han flytta till sibbo") is no answer: the slots
        take the correction, and the question is asked again."""
        message = tracker.latest_message
        corrects = any(said(message, fact) is not None for fact in CORRECTABLE)
        if corrects and value is not True and said(message, "contact_request") is None:
            return {"handoff_consent": None}
        if isinstance(value, bool):
            return {"handoff_consent": value}
        # asking to be called, or giving the number or a time to call, is a yes
        if value == "yes" or any(
            said(message, entity) is not None
            for entity in ("contact_request", "phone", "contact_time")
        ):
            return {"handoff_consent": True}
        intent = (message.get("intent") or {}).get("name")
        if intent not in ("affirm", "deny"):
            intent = leading_reply(str(value or ""))
        if intent in ("affirm", "deny"):
            return {"handoff_consent": intent == "affirm"}
        dispatcher.utter_message(response="utter_choose_from_buttons")
        return {"handoff_consent": None}

    def validate_contact_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A number, the service's [phone:NNNN], or "the same number" as given before."""
        text = str(value or "")
        if value == SAME_NUMBER or said(tracker.latest_message, "phone") == SAME_NUMBER:
            phone = said_before(tracker.events, "phone", skip=(SAME_NUMBER,))
        else:
            phone = normalise_phone(text) or normalise_phone(
                said(tracker.latest_message, "phone") or ""
            )
        if phone is None:
            dispatcher.utter_message(response="utter_invalid_phone")
        return {"contact_phone": phone}

    def validate_contact_time(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Any words are a time ("vaikka heti", "när som helst"); skip means any time."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "skip" or str(value).startswith("/"):
            return {"contact_time": "any"}
        return {"contact_time": str(value).strip()[:MAX_FREE_TEXT] or "any"}

    def validate_contact_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A name in the answer ("sari", "se on Maija"), or none ("en haluu sanoo", skip)."""
        message = tracker.latest_message
        intent = (message.get("intent") or {}).get("name")
        text = str(value or "").strip()
        declined = intent in ("skip", "deny", "stop") or said(message, "decline") is not None
        if declined or not text or text.startswith("/"):
            return {"contact_name": "-"}
        if said(message, "contact_name") == text:
            return {"contact_name": text[:MAX_FREE_TEXT]}
        name = _rules().name(text, answering=True)
        return {"contact_name": (name.value if name else text)[:MAX_FREE_TEXT]}
