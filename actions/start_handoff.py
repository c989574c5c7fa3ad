"""Starting (or going back to) the hand-off from outside a form: the resident asked to be
contacted, said yes to the bot's offer of contact, asked a common question and for a call in one
message, or went back to the matter after a safety answer. What is known is carried over: the area
a common question's topic implies, its municipality and whom it concerns (bot/content/topics.yml);
a request to be contacted, or yes to the offer, is also the consent. bot/dialogue/turns.py then
runs the need form, which asks only what is still unknown."""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.said import leading_reply, offered_contact, said, user_messages

CARRIED = ("service_area", "municipality", "concerns", "age_hint")


def _says_yes(message: dict[str, Any]) -> bool:
    intent = (message.get("intent") or {}).get("name")
    return intent == "affirm" or leading_reply(message.get("text") or "") == "affirm"


def asked_for_contact(message: dict[str, Any]) -> bool:
    """ "Voisko joku soittaa mulle" is also the consent; "I want to talk to a person" asks it."""
    return said(message, "contact_request") is not None


class ActionStartHandoff(Action):
    def name(self) -> str:
        return "action_start_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        message = tracker.latest_message
        events: list[dict[str, Any]] = [SlotSet("after_safety", None), SlotSet("paused_form", None)]
        resuming = tracker.get_slot("paused_form") is not None
        # yes to the bot's offer of contact ("jo gärna det, de e för mormor")
        accepted = offered_contact(tracker.events) and _says_yes(message)
        if (accepted or asked_for_contact(message)) and not tracker.get_slot("handoff_consent"):
            events.append(SlotSet("handoff_consent", True))
        # what the latest common questions told of the matter (their facts fill no slot by
        # themselves: a question may be about someone else than the matter); the area a question's
        # topic implies wins over one read only from an age in this message ("hon e 91")
        roles = {
            entity.get("role")
            for entity in message.get("entities") or []
            if entity.get("entity") == "service_area"
        }
        weak_area = bool(roles) and roles <= {"age", "model"}
        # the message itself, whatever its intent ("tarttisin et joku soittais mun äidin asioista"
        # may read as a status question, whose words fill no slot by themselves)
        intent = (message.get("intent") or {}).get("name")
        for slot in CARRIED:
            value = said(message, slot)
            # "jag vill prata med en människa" says nothing of whom the matter concerns
            speaks_only = slot == "concerns" and value == "self" and intent != "concern"
            if value and not tracker.get_slot(slot) and not speaks_only:
                events.append(SlotSet(slot, value))
        for earlier in reversed(user_messages(tracker.events)[-4:]):
            if (earlier.get("intent") or {}).get("name") != "faq":
                continue
            for slot in CARRIED:
                value = said(earlier, slot)
                already = {event.get("name") for event in events if event.get("event") == "slot"}
                replaceable = not tracker.get_slot(slot) or (slot == "service_area" and weak_area)
                if value and replaceable and slot not in already:
                    events.append(SlotSet(slot, value))
        if not resuming or asked_for_contact(message):
            ack = "utter_concern_ack" if intent == "concern" else "utter_request_human_ack"
            dispatcher.utter_message(response=ack)
        return events
