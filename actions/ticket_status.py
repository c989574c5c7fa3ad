"""Status of my matter: the reference and the last four digits of the phone number given."""

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.clients.handoff_api import HandoffApi, HandoffApiError
from actions.create_ticket import finnish_date
from bot.components.county import load_county_facts


def reference_pattern() -> "re.Pattern[str]":
    """The county's references, typed with a hyphen, a space or neither: IU-7K3M9, iu 7k3m9."""
    prefix = re.escape(load_county_facts().reference_prefix)
    return re.compile(rf"(?<![0-9a-z])({prefix})[\s-]*([0-9a-z]{{5}})(?![0-9a-z])", re.IGNORECASE)


LAST4 = re.compile(r"(?<!\d)(\d{4})(?!\d)")


class ValidateStatusForm(FormValidationAction):
    def name(self) -> str:
        return "validate_status_form"

    def validate_status_reference(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        match = reference_pattern().search(str(value or ""))
        if match is None:
            # Looked up as given: it matches nothing, and the answer is the neutral one.
            return {"status_reference": str(value or "").strip().upper()[:20] or "NONE"}
        return {"status_reference": f"{match.group(1)}-{match.group(2)}".upper()}

    def validate_status_phone_last4(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        match = LAST4.search(str(value or ""))
        # Anything that is not four digits is looked up as given: it will not match, and the
        # resident gets the same neutral answer as for a wrong reference.
        return {"status_phone_last4": match.group(1) if match else "none"}


class ActionTicketStatus(Action):
    def name(self) -> str:
        return "action_ticket_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        reference = tracker.get_slot("status_reference")
        last4 = tracker.get_slot("status_phone_last4")
        reset = [
            SlotSet("status_reference", None),
            SlotSet("status_phone_last4", None),
            SlotSet("after_safety", None),
            SlotSet("paused_form", None),
        ]
        own = tracker.get_slot("ticket_reference")
        api = HandoffApi.from_environment()
        try:
            if own and not reference:
                # the ticket this conversation created: the conversation is the proof
                found = await api.ticket_status(reference=own, conversation_id=tracker.sender_id)
            elif reference and last4:
                found = await api.ticket_status(reference=reference, phone_last4=last4)
            else:
                return reset
        except HandoffApiError:
            found = None
        if found is None:
            dispatcher.utter_message(response="utter_ticket_status_unknown")
            return reset
        dispatcher.utter_message(
            response=f"utter_ticket_status_{found['status']}",
            reference=found["reference"],
            due_date=finnish_date(found["due_date"]),
        )
        return reset
