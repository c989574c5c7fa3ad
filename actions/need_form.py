"""The need form: whom the matter concerns, its service area and municipality."""

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.texts import response_text
from bot.components.county import load_county_facts

SERVICE_AREAS = ("lanupe", "working_age", "elderly", "disability")
CONCERNS = ("self", "close_person", "other")
UNKNOWN = "unknown"


def _choice(
    value: Any, allowed: "tuple[str, ...] | list[str]", dispatcher: CollectingDispatcher
) -> Any:
    if value in allowed or value == UNKNOWN:
        return value
    dispatcher.utter_message(response="utter_choose_from_buttons")
    return None


class ValidateNeedForm(FormValidationAction):
    def name(self) -> str:
        return "validate_need_form"

    def validate_concerns(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {"concerns": _choice(value, CONCERNS, dispatcher)}

    def validate_service_area(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {"service_area": _choice(value, SERVICE_AREAS, dispatcher)}

    def validate_municipality(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        names = [municipality.fi for municipality in load_county_facts().municipalities]
        return {"municipality": _choice(value, names, dispatcher)}


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
