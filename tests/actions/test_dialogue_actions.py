"""The actions of issue 15's dialogue: the safety answer and its follow-ups, going back to the
matter, natural answers to the forms' questions, and what any message fills (heard once)."""

import asyncio
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff_form import ValidateHandoffForm
from actions.language import ValidateSlotMappings
from actions.need_form import ValidateNeedForm
from actions.safety import ActionSafetyAnswer, ActionSafetyFollowup
from actions.said import carried_this_turn, offered_contact, said, said_before
from actions.start_handoff import ActionStartHandoff
from tests.actions.conftest import entity, make_tracker, user_event

OFFER = {"event": "bot", "text": "…", "data": {"custom": {"offer": "contact"}}}
ANSWER = {"event": "bot", "text": "…", "data": {"custom": {}}}


def slots_of(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_said_reads_entities_and_a_common_questions_need() -> None:
    message = {"entities": [entity("municipality", "Porvoo", "hospital")]}
    assert said(message, "municipality") is None  # a hospital's town is not where one lives
    message = {"entities": [], "neuvo_need": {"service_area": "disability"}}
    assert said(message, "service_area") == "disability"
    events = [
        user_event("040…", "inform", entities=[entity("phone", "[phone:4567]")]),
        user_event("sama kuin yllä", "inform", entities=[entity("phone", "same")]),
    ]
    assert said_before(events, "phone", skip=("same",)) == "[phone:4567]"


def test_offered_contact_is_the_bots_last_message_before_the_residents() -> None:
    assert offered_contact([user_event("q", "faq"), OFFER, user_event("joo", "affirm")])
    assert not offered_contact([OFFER, user_event("q", "faq"), ANSWER, user_event("joo", "affirm")])
    assert not offered_contact([user_event("joo", "affirm")])


def test_the_safety_answer_pauses_the_form_and_is_the_last_message() -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        intent="emergency", active_loop="need_form", slots={"requested_slot": "concerns"}
    )
    events = asyncio.run(ActionSafetyAnswer().run(dispatcher, tracker, {}))
    assert [m["response"] for m in dispatcher.messages] == ["utter_emergency"]
    # the pending question is remembered, and not asked again over the safety answer
    assert slots_of(events) == {
        "after_safety": "emergency",
        "paused_form": "concerns",
        "requested_slot": None,
    }
    assert any(e["event"] == "active_loop" and e["name"] is None for e in events)
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionSafetyAnswer().run(dispatcher, make_tracker(intent="crisis"), {}))
    assert dispatcher.messages[0]["response"] == "utter_crisis"


@pytest.mark.parametrize(
    ("after", "response"),
    [("emergency", "utter_safety_followup_emergency"), ("crisis", "utter_safety_followup_crisis")],
)
def test_a_followup_keeps_the_safety_answers_numbers(after: str, response: str) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots={"after_safety": after}, text="mitä mä teen")
    assert asyncio.run(ActionSafetyFollowup().run(dispatcher, tracker, {})) == []
    assert dispatcher.messages[0]["response"] == response


def test_yes_to_an_offer_carries_the_common_questions_topic_and_is_consent() -> None:
    question = user_event(
        "miten haetaan kuljetuspalvelua", "faq", neuvo_need={"service_area": "disability"}
    )
    events = [question, OFFER, user_event("joo kiitos", "affirm")]
    tracker = make_tracker(text="joo kiitos", intent="affirm", events=events)
    dispatcher = CollectingDispatcher()
    slots = slots_of(asyncio.run(ActionStartHandoff().run(dispatcher, tracker, {})))
    assert slots["service_area"] == "disability"
    assert slots["handoff_consent"] is True
    assert slots["after_safety"] is None
    assert dispatcher.messages[0]["response"] == "utter_request_human_ack"


def test_the_topics_area_wins_over_an_age_in_the_same_message() -> None:
    question = user_event(
        "hur får man färdtjänst", "faq", neuvo_need={"service_area": "disability"}
    )
    words = "jo gärna, de e för mormor, hon e 91"
    age_area = [entity("service_area", "elderly", "age")]
    events = [question, OFFER, user_event(words, "concern", entities=age_area)]
    tracker = make_tracker(
        text=words,
        intent="concern",
        entities=age_area,
        events=events,
        slots={"service_area": "elderly"},
    )
    slots = slots_of(asyncio.run(ActionStartHandoff().run(CollectingDispatcher(), tracker, {})))
    assert slots["service_area"] == "disability"
    # ... and the need form keeps it when it re-reads the message's own area
    carried = [
        *events,
        {"event": "action", "name": "action_start_handoff"},
        {"event": "slot", "name": "service_area", "value": "disability"},
        # the need form's re-reading of the message, appended after the action's events
        {"event": "slot", "name": "service_area", "value": "elderly"},
    ]
    assert carried_this_turn(carried, "service_area") == "disability"
    form = make_tracker(text=words, intent="concern", entities=age_area, events=carried)
    assert ValidateNeedForm().validate_service_area(
        "elderly", CollectingDispatcher(), form, {}
    ) == {"service_area": "disability"}


def test_going_back_after_a_safety_answer_asks_no_new_consent_and_no_ack() -> None:
    tracker = make_tracker(
        text="jatketaan siitä asiasta",
        intent="concern",
        entities=[entity("resume", "yes")],
        slots={"after_safety": "emergency", "paused_form": "need_form"},
        events=[ANSWER, user_event("jatketaan siitä asiasta", "concern")],
    )
    dispatcher = CollectingDispatcher()
    slots = slots_of(asyncio.run(ActionStartHandoff().run(dispatcher, tracker, {})))
    assert "handoff_consent" not in slots
    assert slots["paused_form"] is None
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    ("text", "intent", "entities", "consent"),
    [
        ("joo laita vaan eteenpäin", "inform", [], True),
        ("ja gärna", "nlu_fallback", [], True),
        ("ei kiitos", "inform", [], False),
        ("voisko joku soittaa", "concern", [entity("contact_request", "yes")], True),
        ("[phone:1234]", "inform", [entity("phone", "[phone:1234]")], True),
    ],
)
def test_consent_in_words(text: str, intent: str, entities: list[Any], consent: bool) -> None:
    tracker = make_tracker(text=text, intent=intent, entities=entities)
    result = ValidateHandoffForm().validate_handoff_consent(
        text, CollectingDispatcher(), tracker, {}
    )
    assert result == {"handoff_consent": consent}


def test_the_same_number_as_above() -> None:
    earlier = user_event(
        "numero on [phone:3376]", "concern", entities=[entity("phone", "[phone:3376]")]
    )
    tracker = make_tracker(
        text="samma nummer",
        intent="inform",
        entities=[entity("phone", "same")],
        events=[earlier, user_event("samma nummer", "inform")],
    )
    assert ValidateHandoffForm().validate_contact_phone(
        "samma nummer", CollectingDispatcher(), tracker, {}
    ) == {"contact_phone": "[phone:3376]"}
    assert ValidateSlotMappings().validate_contact_phone(
        "same", CollectingDispatcher(), tracker, {}
    ) == {"contact_phone": "[phone:3376]"}
    alone = make_tracker(text="sama kuin yllä", entities=[entity("phone", "same")])
    dispatcher = CollectingDispatcher()
    result = ValidateHandoffForm().validate_contact_phone("sama kuin yllä", dispatcher, alone, {})
    assert result == {"contact_phone": None}
    assert dispatcher.messages[0]["response"] == "utter_invalid_phone"


@pytest.mark.parametrize(
    ("text", "intent", "entities", "name"),
    [
        ("en haluu sanoo", "stop", [entity("decline", "yes")], "-"),
        ("vill helst int säga", "inform", [entity("decline", "yes")], "-"),
        ("sari", "inform", [], "Sari"),
        ("se on Maija Virtanen", "inform", [], "Maija Virtanen"),
    ],
)
def test_the_name_in_words(text: str, intent: str, entities: list[Any], name: str) -> None:
    tracker = make_tracker(text=text, intent=intent, entities=entities)
    assert ValidateHandoffForm().validate_contact_name(
        text, CollectingDispatcher(), tracker, {}
    ) == {"contact_name": name}


@pytest.mark.parametrize(
    ("slot", "text", "entities", "value"),
    [
        (
            "concerns",
            "mun äiti, niinku sanoin",
            [entity("concerns", "close_person")],
            "close_person",
        ),
        ("municipality", "i sibbo, nickby alltså", [entity("municipality", "Sipoo")], "Sipoo"),
        ("service_area", "en osaa sanoa", [entity("unsure", "yes")], "unknown"),
        ("municipality", "vet int", [entity("unsure", "yes")], "unknown"),
    ],
)
def test_need_questions_in_words(slot: str, text: str, entities: list[Any], value: str) -> None:
    tracker = make_tracker(text=text, intent="inform", entities=entities)
    validate = getattr(ValidateNeedForm(), f"validate_{slot}")
    assert validate(text, CollectingDispatcher(), tracker, {}) == {slot: value}


def test_an_answer_that_says_nothing_is_asked_again_with_words_or_buttons() -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text="hmm", intent="nlu_fallback")
    result = ValidateNeedForm().validate_concerns("hmm", dispatcher, tracker, {})
    assert result == {"concerns": None}
    assert dispatcher.messages[0]["response"] == "utter_choose_from_buttons"


def slot_before(name: str, value: Any) -> list[dict[str, Any]]:
    return [{"event": "slot", "name": name, "value": value}, user_event("…", "concern")]


def test_a_later_i_does_not_make_a_relatives_matter_the_residents_own() -> None:
    validate = ValidateSlotMappings().validate_concerns
    tracker = make_tracker(text="ringa mej", events=slot_before("concerns", "close_person"))
    assert validate("self", CollectingDispatcher(), tracker, {}) == {"concerns": "close_person"}
    asked = make_tracker(
        text="mig själv",
        slots={"requested_slot": "concerns"},
        events=slot_before("concerns", "close_person"),
    )
    assert validate("self", CollectingDispatcher(), asked, {}) == {}
    own_age = make_tracker(
        text="ja e 29",
        entities=[entity("age_hint", "29")],
        events=slot_before("concerns", "other"),
    )
    assert validate("self", CollectingDispatcher(), own_age, {}) == {}


def test_an_age_does_not_replace_an_area_known_from_words() -> None:
    validate = ValidateSlotMappings().validate_service_area
    tracker = make_tracker(
        text="se on 81",
        entities=[entity("service_area", "elderly", "age")],
        events=slot_before("service_area", "disability"),
    )
    assert validate("elderly", CollectingDispatcher(), tracker, {}) == {
        "service_area": "disability"
    }
    by_terms = make_tracker(
        text="sillä on kehitysvamma",
        entities=[entity("service_area", "disability", "terms")],
        events=slot_before("service_area", "elderly"),
    )
    assert validate("disability", CollectingDispatcher(), by_terms, {}) == {}


def test_violence_told_before_is_not_lost() -> None:
    tracker = make_tracker(events=slot_before("crisis_kind", "violence_now"))
    validate = ValidateSlotMappings().validate_crisis_kind
    assert validate("mental", CollectingDispatcher(), tracker, {}) == {
        "crisis_kind": "violence_now"
    }
    assert validate("violence_now", CollectingDispatcher(), make_tracker(), {}) == {}


def test_a_correction_at_the_consent_question_is_no_answer() -> None:
    text = "nä vänta förlåt, han flytta ju till sibbo i höstas. så sibbo alltså"
    tracker = make_tracker(text=text, intent="deny", entities=[entity("municipality", "Sipoo")])
    dispatcher = CollectingDispatcher()
    result = ValidateHandoffForm().validate_handoff_consent(False, dispatcher, tracker, {})
    assert result == {"handoff_consent": None}
    assert dispatcher.messages == []  # asked again, with no "not understood"
