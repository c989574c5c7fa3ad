"""The resident changes their mind in the middle of a form: stop, forget the matter's answers."""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.create_ticket import MATTER_SLOTS


class ActionStopHandoff(Action):
    def name(self) -> str:
        return "action_stop_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_stopped")
        slots = [
            *MATTER_SLOTS,
            "status_reference",
            "status_phone_last4",
            "requested_slot",
            "after_safety",
            "paused_form",
        ]
        return [ActiveLoop(None), *[SlotSet(slot, None) for slot in slots]]
