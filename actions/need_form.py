"""The need form: whom the matter concerns, its service area and municipality."""

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.said import carried_this_turn, said
from actions.texts import response_text
from bot.components.county import load_county_facts

SERVICE_AREAS = ("lanupe", "working_age", "elderly", "disability")
CONCERNS = ("self", "close_person", "other")
UNKNOWN = "unknown"


def _choice(
    slot: str,
    value: Any,
    allowed: "tuple[str, ...] | list[str]",
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
) -> Any:
    """A button's value, or the answer in words as the NLU read it ("mun äiti, niinku sanoin",
    "porvoossa", "en osaa sanoa"); asked again only when neither says anything."""
    if value in allowed or value == UNKNOWN:
        return value
    message = tracker.latest_message
    in_words = said(message, slot)
    if in_words in allowed:
        return in_words
    if said(message, "unsure") is not None or said(message, "decline") is not None:
        return UNKNOWN
    dispatcher.utter_message(response="utter_choose_from_buttons")
    return None


class ValidateNeedForm(FormValidationAction):
    def name(self) -> str:
        return "validate_need_form"

    def validate_concerns(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {"concerns": _choice("concerns", value, CONCERNS, dispatcher, tracker)}

    def validate_service_area(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        # the area a common question's topic implied wins over one read from an age or the model
        # in the same message ("ja gärna, de e för mormor, hon e 91" after the färdtjänst answer)
        carried = carried_this_turn(tracker.events, "service_area")
        roles = {
            entity.get("role")
            for entity in tracker.latest_message.get("entities") or []
            if entity.get("entity") == "service_area"
        }
        if carried in SERVICE_AREAS and roles <= {"age", "model"}:
            return {"service_area": carried}
        return {"service_area": _choice("service_area", value, SERVICE_AREAS, dispatcher, tracker)}

    def validate_municipality(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        names = [municipality.fi for municipality in load_county_facts().municipalities]
        return {"municipality": _choice("municipality", value, names, dispatcher, tracker)}


class ActionAskMunicipality(Action):
    """Asks for the municipality with one button per municipality of the county file."""

    def name(self) -> str:
        return "action_ask_municipality"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        language = tracker.get_slot("language") or "fi"
        buttons = [
            {
                "title": municipality.sv if language == "sv" else municipality.fi,
                "payload": f'/inform{{"municipality": "{municipality.fi}"}}',
            }
            for municipality in load_county_facts().municipalities
        ]
        buttons.append(
            {
                "title": response_text(domain, "utter_municipality_other", language),
                "payload": f'/inform{{"municipality": "{UNKNOWN}"}}',
            }
        )
        dispatcher.utter_message(response="utter_ask_municipality", buttons=buttons)
        return []
