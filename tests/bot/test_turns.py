"""The turn decisions made before Rasa's rules (bot/dialogue/turns.py)."""

import pytest

from bot.dialogue.turns import Turn, next_action

LISTEN = "action_listen"


def heard(intent: str, *entities: str, **state: object) -> Turn:
    return Turn(latest_action=LISTEN, intent=intent, entities=frozenset(entities), **state)  # type: ignore[arg-type]


@pytest.mark.parametrize("loop", [None, "need_form", "handoff_form", "status_form"])
@pytest.mark.parametrize("intent", ["emergency", "crisis"])
def test_danger_is_answered_first_in_any_state(intent: str, loop: str | None) -> None:
    assert next_action(heard(intent, active_loop=loop)) == "action_safety_answer"
    # a new danger after a safety answer gets its own full answer
    assert next_action(heard(intent, after_safety="emergency")) == "action_safety_answer"


def test_the_safety_answer_ends_the_turn() -> None:
    for action in ("action_safety_answer", "action_safety_followup", "action_stop_handoff"):
        assert next_action(Turn(latest_action=action)) == LISTEN


@pytest.mark.parametrize(
    "intent",
    ["concern", "inform", "affirm", "deny", "greet", "nlu_fallback", "out_of_scope", "skip", "faq"],
)
def test_after_a_112_answer_anything_about_the_situation_gets_the_followup(intent: str) -> None:
    assert next_action(heard(intent, after_safety="emergency")) == "action_safety_followup"


def test_after_a_safety_answer_the_resident_can_go_back_to_the_matter() -> None:
    after = {"after_safety": "emergency"}
    assert next_action(heard("concern", "contact_request", **after)) == "action_start_handoff"
    assert next_action(heard("request_human", **after)) == "action_start_handoff"
    assert next_action(heard("concern", "resume", **after)) == "action_start_handoff"
    # answering the question the safety answer paused
    paused = {"paused_form": "municipality"}
    assert next_action(heard("inform", "municipality", **paused, **after)) == (
        "action_start_handoff"
    )
    # "I" is in almost every message: only the paused question's answer goes back
    assert next_action(heard("nlu_fallback", "concerns", **paused, **after)) == (
        "action_safety_followup"
    )
    # yes to the crisis answer's offer of a worker's call
    assert next_action(heard("affirm", after_safety="crisis", offered_contact=True)) == (
        "action_start_handoff"
    )
    # a confident common question, a status question, thanks and goodbye are their own answers
    assert next_action(heard("faq", faq_confident=True, **after)) == "action_answer_faq"
    assert next_action(heard("thank", **after)) == "action_safety_followup"
    assert next_action(heard("goodbye", **after)) is None


def test_going_back_runs_the_need_form_then_the_handoff_form_then_the_ticket() -> None:
    assert next_action(Turn(latest_action="action_start_handoff")) == "need_form"
    assert next_action(Turn(latest_action="need_form")) == "handoff_form"
    assert next_action(Turn(latest_action="handoff_form")) == "action_create_ticket"
    # while a form is asking, the forms and rules go on
    assert next_action(Turn(latest_action="need_form", active_loop="need_form")) is None


def test_offers_are_kept() -> None:
    assert next_action(heard("affirm", offered_contact=True)) == "action_start_handoff"
    assert next_action(heard("affirm")) is None  # nothing offered: the rule asks how to help
    # a common question that also asks for a call: the answer, then the hand-off
    assert next_action(heard("faq", "contact_request")) is None
    after_answer = Turn(latest_action="action_answer_faq", entities=frozenset({"contact_request"}))
    assert next_action(after_answer) == "action_start_handoff"
    assert next_action(Turn(latest_action="action_answer_faq")) == LISTEN


def test_a_common_question_in_the_middle_of_a_form_is_answered_when_the_model_is_sure() -> None:
    asking = {"active_loop": "handoff_form", "requested_slot": "contact_time"}
    assert next_action(heard("faq", faq_confident=True, **asking)) == "action_answer_faq"
    assert next_action(heard("faq", faq_confident=False, **asking)) is None  # the form's answer
    # an answer to the question is no common question ("1111" for the phone's last digits, a
    # municipality in a message the model reads as a question)
    digits = {"active_loop": "status_form", "requested_slot": "status_phone_last4"}
    assert next_action(heard("faq", faq_confident=True, text="1111", **digits)) is None
    place = {"active_loop": "need_form", "requested_slot": "municipality"}
    assert next_action(heard("faq", "municipality", faq_confident=True, **place)) is None
    # after the answer, the form asks its question again
    assert next_action(Turn(latest_action="action_answer_faq", active_loop="handoff_form")) is None


def test_stop_stops_but_declining_the_name_is_an_answer() -> None:
    assert next_action(heard("stop", active_loop="need_form")) == "action_stop_handoff"
    assert next_action(heard("stop", after_safety="crisis")) == "action_stop_handoff"
    naming = {"active_loop": "handoff_form", "requested_slot": "contact_name"}
    assert next_action(heard("stop", "decline", **naming)) is None
    assert next_action(heard("stop", **naming)) == "action_stop_handoff"


def test_status_in_the_conversation_that_made_the_ticket_needs_no_reference() -> None:
    assert next_action(heard("ticket_status", ticket_reference="IU-7K3M9")) == (
        "action_ticket_status"
    )
    assert next_action(heard("ticket_status")) is None  # the status form asks
    assert next_action(heard("ticket_status", "reference", ticket_reference="IU-7K3M9")) is None


def test_after_a_safety_answer_only_a_sure_yes_goes_back_to_the_matter() -> None:
    # "ja vet int va ja ska göra" read as a yes by a hesitant model is a follow-up
    unsure = heard("affirm", after_safety="crisis", offered_contact=True, affirm_sure=False)
    assert next_action(unsure) == "action_safety_followup"
    # a yes to a consent question the safety answer paused
    paused = heard("affirm", after_safety="emergency", paused_form="handoff_consent")
    assert next_action(paused) == "action_start_handoff"


def test_a_request_for_contact_that_also_asks_a_common_question_gets_both() -> None:
    asking = heard("concern", "contact_request", also_faq=True)
    assert next_action(asking) == "action_answer_faq"
    answered = Turn(latest_action="action_answer_faq", entities=frozenset({"contact_request"}))
    assert next_action(answered) == "action_start_handoff"


def test_a_matter_about_someone_in_words_the_model_could_not_place_starts_the_handoff() -> None:
    assert next_action(heard("nlu_fallback", "concerns", whom="close_person")) == (
        "action_start_handoff"
    )
    assert next_action(heard("inform", "concerns", whom="other")) == "action_start_handoff"
    # "I" alone says nothing of a matter
    assert next_action(heard("nlu_fallback", "concerns", whom="self")) is None
