"""Answers a frequently asked question: the topic the ResponseSelector chose, with the county's own
facts (website, customer advice phone and hours) filled in from the county configuration."""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.texts import response_text
from bot.components.county import CountyContact, load_county_contact

RETRIEVAL_INTENT = "faq"


def chosen_answer(latest_message: dict[str, Any]) -> str | None:
    """The response the ResponseSelector chose for the latest message (`utter_faq/<topic>`)."""
    selected = (latest_message.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}
    answer = (selected.get("response") or {}).get("utter_action")
    return str(answer) if answer else None


def _clock(hhmm: str) -> str:
    hours, minutes = hhmm.split(":")
    return f"{int(hours)}.{minutes}"


def office_hours_text(contact: CountyContact, weekday_names: list[str]) -> str:
    """'ma–to 8.00–16.00, pe 8.00–15.00': consecutive days with the same hours are joined."""
    groups: list[tuple[int, int, str]] = []
    for day, span in contact.office_hours:
        if groups and groups[-1][2] == span and groups[-1][1] == day - 1:
            groups[-1] = (groups[-1][0], day, span)
        else:
            groups.append((day, day, span))
    parts = []
    for first, last, span in groups:
        days = (
            weekday_names[first]
            if first == last
            else f"{weekday_names[first]}–{weekday_names[last]}"
        )
        start, end = span.split("-")
        parts.append(f"{days} {_clock(start)}–{_clock(end)}")
    return ", ".join(parts)


def county_placeholders(
    domain: DomainDict, language: str, contact: CountyContact
) -> dict[str, str]:
    """The values of the placeholders an FAQ answer may use. A fact the county has not filled in
    (or has marked as an example) is never stated: the sentence points to the website instead."""
    website = contact.website(language)
    if contact.advice_phone and contact.office_hours:
        weekdays = response_text(domain, "utter_fact_weekdays", language).split()
        advice = response_text(domain, "utter_fact_customer_advice_hours", language).format(
            phone=contact.advice_phone, hours=office_hours_text(contact, weekdays)
        )
    elif contact.advice_phone:
        advice = response_text(domain, "utter_fact_customer_advice_phone", language).format(
            phone=contact.advice_phone, website=website
        )
    else:
        advice = response_text(domain, "utter_fact_customer_advice_website", language).format(
            website=website
        )
    return {"customer_advice": advice, "county_website": website}


class ActionAnswerFaq(Action):
    def name(self) -> str:
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        answer = chosen_answer(tracker.latest_message)
        if answer is None or answer not in domain.get("responses", {}):
            dispatcher.utter_message(response="utter_default")
            return []
        language = tracker.get_slot("language") or "fi"
        values = county_placeholders(domain, language, load_county_contact())
        dispatcher.utter_message(response=answer, **values)
        return [*SAFETY_DONE, *put_back_form_answer(tracker)]


# A common question is a step away from a safety answer's follow-ups (bot/dialogue/turns.py).
SAFETY_DONE = [SlotSet("after_safety", None), SlotSet("paused_form", None)]


def put_back_form_answer(tracker: Tracker) -> list[dict[str, Any]]:
    """A common question asked in the middle of a form is no answer to the form's question: the
    text the form's free-text mapping took from it is put back, and the form asks again."""
    requested = tracker.get_slot("requested_slot")
    if not tracker.active_loop.get("name") or not requested:
        return []
    if tracker.get_slot(requested) == tracker.latest_message.get("text"):
        return [SlotSet(requested, None)]
    return []
