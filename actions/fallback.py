"""Not understood: the first miss asks to rephrase (or, for a question outside the bot's field,
says so); a second miss in a row offers a person."""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

# What the resident hears as "not understood": no intent, or a question outside the bot's field.
MISSES = ("nlu_fallback", "out_of_scope")


def missed_twice_in_a_row(events: list[dict[str, Any]]) -> bool:
    """True when the resident's previous message was not understood either."""
    intents = [
        (event.get("parse_data") or {}).get("intent", {}).get("name")
        for event in events
        if event.get("event") == "user"
    ]
    return len(intents) >= 2 and intents[-2] in MISSES


class ActionHandleMiss(Action):
    def name(self) -> str:
        return "action_handle_miss"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if missed_twice_in_a_row(tracker.events):
            dispatcher.utter_message(response="utter_default_offer_person")
        elif (tracker.latest_message.get("intent") or {}).get("name") == "out_of_scope":
            dispatcher.utter_message(response="utter_out_of_scope")
        else:
            dispatcher.utter_message(response="utter_default")
        return []
