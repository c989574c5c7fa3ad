"""Hand-off end to end, beyond the dialogues: what the advisor sees, the status lookup, one
ticket per consent. Each area's hand-off in both languages: tests/conversations/dialogues."""

from typing import Any

import httpx

from tests.e2e.conftest import ADMIN, System, say, start


def consent_asked(reply: dict[str, Any]) -> bool:
    last = reply["messages"][-1]
    return last["kind"] == "question" and [b["payload"] for b in last["buttons"]] == [
        "/affirm",
        "/deny",
    ]


def hand_off(system: System, language: str, first: str) -> dict[str, Any]:
    """A hand-off whose first message says everything; returns the last reply."""
    conversation = start(system, language)
    assert consent_asked(say(system, conversation, first))
    say(system, conversation, "/affirm")
    time_asked = say(system, conversation, "040 123 4567")["messages"][-1]
    # The domain doubles the payloads' braces so that Rasa's interpolation leaves them alone.
    assert [b["payload"] for b in time_asked["buttons"]] == [
        '/inform{"contact_time": "morning"}',
        '/inform{"contact_time": "afternoon"}',
        '/inform{"contact_time": "any"}',
    ]
    say(system, conversation, '/inform{"contact_time": "morning"}')
    done = say(system, conversation, "/skip")
    done["conversation"] = conversation
    return done


def test_the_advisor_sees_the_residents_words_and_the_transcript(system: System) -> None:
    first = "Äitini on 86-vuotias eikä hän enää pärjää kotona Loviisassa"
    done = hand_off(system, "fi", first)
    detail = httpx.get(
        f"{system.url}/api/v1/tickets/{done['ticket']['reference']}", headers=ADMIN
    ).json()
    assert (detail["service_area"], detail["municipality"], detail["service_task"]) == (
        "elderly",
        "Loviisa",
        "elderly_eastern",
    )
    assert (detail["concerns"], detail["age_hint"], detail["urgency"]) == (
        "close_person",
        "86",
        "concern",
    )
    assert first in detail["need_summary"]
    assert detail["contact_phone"] == "0401234567"
    assert detail["transcript"][0]["text"] == first
    assert len(detail["transcript"]) >= 10


def test_status_lookup_and_its_neutral_refusals(system: System) -> None:
    done = hand_off(system, "fi", "Äitini on 90-vuotias ja tarvitsee apua kotiin Sipoossa")
    reference = done["ticket"]["reference"]
    conversation = start(system, "fi")
    ask = say(system, conversation, f"mikä on asiani {reference} tilanne")
    assert ask["messages"][-1]["kind"] == "question"
    status = say(system, conversation, "4567")
    assert "odottaa käsittelyä" in status["messages"][-1]["text"]
    wrong = start(system, "fi")
    say(system, wrong, f"mikä on asiani {reference} tilanne")
    refused = say(system, wrong, "1111")["messages"][-1]["text"]
    unknown = start(system, "fi")
    say(system, unknown, "mikä on asiani IU-22222 tilanne")
    assert say(system, unknown, "4567")["messages"][-1]["text"] == refused
    assert reference not in refused


def test_one_consent_makes_one_ticket(system: System) -> None:
    done = hand_off(system, "sv", "Min pappa är 80 år och klarar sig inte hemma i Borgå")
    conversation_id, _ = done["conversation"]
    listed = httpx.get(f"{system.url}/api/v1/tickets", params={"limit": 500}, headers=ADMIN).json()
    details = [
        httpx.get(f"{system.url}/api/v1/tickets/{t['reference']}", headers=ADMIN).json()
        for t in listed
    ]
    mine = [d["reference"] for d in details if d["conversation_id"] == conversation_id]
    assert mine == [done["ticket"]["reference"]]
