"""The first miss asks to rephrase; the second in a row offers a person."""

import asyncio
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionHandleMiss


def user(intent: str) -> dict[str, Any]:
    return {"event": "user", "text": "x", "parse_data": {"intent": {"name": intent}}}


def response_for(events: list[dict[str, Any]], domain: dict[str, Any]) -> str:
    latest = events[-1]["parse_data"]
    tracker = Tracker("c", {"language": "fi"}, latest, events, False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionHandleMiss().run(dispatcher, tracker, domain))
    return str(dispatcher.messages[0]["response"])


def test_first_miss_asks_to_rephrase(domain: dict[str, Any]) -> None:
    assert response_for([user("greet"), user("nlu_fallback")], domain) == "utter_default"
    assert response_for([user("nlu_fallback")], domain) == "utter_default"


def test_second_miss_in_a_row_offers_a_person(domain: dict[str, Any]) -> None:
    assert (
        response_for([user("nlu_fallback"), user("nlu_fallback")], domain)
        == "utter_default_offer_person"
    )


def test_a_question_outside_the_field_says_so_and_counts_as_a_miss(domain: dict[str, Any]) -> None:
    out_of_scope = user("out_of_scope")
    assert response_for([user("greet"), out_of_scope], domain) == "utter_out_of_scope"
    assert (
        response_for([user("nlu_fallback"), out_of_scope], domain) == "utter_default_offer_person"
    )
    assert (
        response_for([out_of_scope, user("nlu_fallback")], domain) == "utter_default_offer_person"
    )


def test_an_understood_message_in_between_starts_over(domain: dict[str, Any]) -> None:
    events = [user("nlu_fallback"), user("greet"), user("nlu_fallback")]
    assert response_for(events, domain) == "utter_default"
