"""Creates the ticket through the handoff service once the resident has consented."""

from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.clients.handoff_api import HandoffApi, HandoffApiError
from bot.components.county import load_county_contact

MATTER_SLOTS = (
    "concerns",
    "service_area",
    "municipality",
    "age_hint",
    "handoff_consent",
    "contact_phone",
    "contact_time",
    "contact_name",
)
STORY_LOOPS = (None, "need_form")


def resident_words(events: list[dict[str, Any]]) -> str:
    """What the resident wrote about this matter: their messages since the last ticket, outside the
    contact-details questions (payloads of buttons left out)."""
    start = 0
    for index, event in enumerate(events):
        if event.get("event") == "action" and event.get("name") == "action_create_ticket":
            start = index + 1
    loop: str | None = None
    words: list[str] = []
    for event in events[start:]:
        if event.get("event") == "active_loop":
            loop = event.get("name")
        elif event.get("event") == "user" and loop in STORY_LOOPS:
            text = (event.get("text") or "").strip()
            if text and not text.startswith("/"):
                words.append(text)
    return "\n".join(words)


def consent_key(tracker: Tracker) -> str:
    """The same consent always gives the same key, so a retried request creates no second ticket."""
    for event in reversed(tracker.events):
        if (
            event.get("event") == "slot"
            and event.get("name") == "handoff_consent"
            and event.get("value")
        ):
            return f"{tracker.sender_id}:{event.get('timestamp')}"
    return f"{tracker.sender_id}:no-consent"


def finnish_date(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.day}.{day.month}.{day.year}"


def _known(value: str | None) -> str | None:
    return None if value in (None, "", "unknown", "-") else value


class ActionCreateTicket(Action):
    def name(self) -> str:
        return "action_create_ticket"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        language = tracker.get_slot("language") or "fi"
        website = load_county_contact().website(language)
        reset = [SlotSet(slot, None) for slot in MATTER_SLOTS]
        if not tracker.get_slot("handoff_consent"):
            dispatcher.utter_message(response="utter_handoff_declined", website=website)
            return reset
        urgency = tracker.get_slot("urgency") or "concern"
        ticket = {
            "conversation_id": tracker.sender_id,
            "service_area": _known(tracker.get_slot("service_area")),
            "municipality": _known(tracker.get_slot("municipality")),
            "language": language,
            "urgency": "concern" if urgency == "none" else urgency,
            "concerns": _known(tracker.get_slot("concerns")),
            "age_hint": _known(tracker.get_slot("age_hint")),
            "contact_phone": tracker.get_slot("contact_phone"),
            "contact_name": _known(tracker.get_slot("contact_name")),
            "contact_time": _known(tracker.get_slot("contact_time")),
            "resident_words": resident_words(tracker.events) or "-",
        }
        try:
            created = await HandoffApi.from_environment().create_ticket(
                ticket, idempotency_key=consent_key(tracker)
            )
        except HandoffApiError:
            dispatcher.utter_message(response="utter_handoff_failed", website=website)
            return []
        if created.get("urgency") in ("crisis", "emergency"):
            dispatcher.utter_message(response="utter_handoff_priority")
        dispatcher.utter_message(
            response="utter_handoff_created",
            reference=created["reference"],
            team=created["service_task_name"],
            due_date=finnish_date(created["due_date"]),
        )
        return [*reset, SlotSet("ticket_reference", created["reference"])]
