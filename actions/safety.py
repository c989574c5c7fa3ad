"""The safety answer, and staying with the resident after it (bot/dialogue/turns.py decides when).

The safety answer pauses a form that was asking, so that it is the last message the resident
sees; what the form already knows is kept. Until the resident goes back to a matter, a follow-up
gets a short answer that keeps 112 or the crisis line in front.
"""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

ANSWERS = {"emergency": "utter_emergency", "crisis": "utter_crisis"}
FOLLOWUPS = {
    "emergency": "utter_safety_followup_emergency",
    "crisis": "utter_safety_followup_crisis",
}


class ActionSafetyAnswer(Action):
    def name(self) -> str:
        return "action_safety_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        # an emergency told after a crisis (or the other way round) is answered as what it is
        kind = "emergency" if intent == "emergency" else "crisis"
        dispatcher.utter_message(response=ANSWERS[kind])
        events: list[dict[str, Any]] = [SlotSet("after_safety", kind)]
        loop = tracker.active_loop.get("name")
        if loop:
            # the question that was pending: answering it later goes back to the matter; the form
            # asks anew what is still unknown (bot/dialogue/turns.py)
            question = tracker.get_slot("requested_slot") or loop
            events += [SlotSet("paused_form", question), SlotSet("requested_slot", None)]
            events.append(ActiveLoop(None))
        return events


class ActionSafetyFollowup(Action):
    def name(self) -> str:
        return "action_safety_followup"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        kind = tracker.get_slot("after_safety") or "emergency"
        dispatcher.utter_message(response=FOLLOWUPS.get(kind, FOLLOWUPS["emergency"]))
        return []
