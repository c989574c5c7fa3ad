"""FAQ answers: the topic the ResponseSelector chose, with the county's facts filled in from the
county file, and never an example value presented as a fact."""

import asyncio
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.faq import ActionAnswerFaq, county_placeholders, office_hours_text
from bot.components.county import CountyContact, load_county_contact

ROOT = Path(__file__).resolve().parents[2]
FI_DAYS = ["ma", "ti", "ke", "to", "pe", "la", "su"]


def contact(**changes: Any) -> CountyContact:
    base: dict[str, Any] = {
        "website_fi": "https://itauusimaa.fi",
        "website_sv": "https://ostranyland.fi",
        "advice_phone": "019 123 4567",
        "office_hours": (
            (0, "08:00-16:00"),
            (1, "08:00-16:00"),
            (2, "08:00-16:00"),
            (3, "08:00-16:00"),
            (4, "08:00-15:00"),
        ),
    }
    return CountyContact(**{**base, **changes})


def test_office_hours_join_consecutive_days_with_the_same_hours() -> None:
    assert office_hours_text(contact(), FI_DAYS) == "ma–to 8.00–16.00, pe 8.00–15.00"
    gappy = contact(office_hours=((0, "09:00-12:00"), (2, "09:00-12:00"), (5, "10:00-14:30")))
    assert office_hours_text(gappy, FI_DAYS) == "ma 9.00–12.00, ke 9.00–12.00, la 10.00–14.30"


def test_filled_in_phone_and_hours_are_stated(domain: dict[str, Any]) -> None:
    fi = county_placeholders(domain, "fi", contact())
    sv = county_placeholders(domain, "sv", contact())
    assert "019 123 4567" in fi["customer_advice"] and "ma–to 8.00–16.00" in fi["customer_advice"]
    assert (
        "019 123 4567" in sv["customer_advice"] and "mån–tors 8.00–16.00" in sv["customer_advice"]
    )
    assert fi["county_website"] == "https://itauusimaa.fi"
    assert sv["county_website"] == "https://ostranyland.fi"


def test_phone_without_hours_points_to_the_website_for_hours(domain: dict[str, Any]) -> None:
    text = county_placeholders(domain, "fi", contact(office_hours=()))["customer_advice"]
    assert "019 123 4567" in text and "https://itauusimaa.fi" in text


def test_the_default_county_files_example_values_are_never_stated(domain: dict[str, Any]) -> None:
    raw = yaml.safe_load((ROOT / "county" / "itauusimaa.yml").read_text(encoding="utf-8"))
    assert raw["contact_numbers"]["customer_advice"]["example"] is True
    example_number = raw["contact_numbers"]["customer_advice"]["number"]
    county = load_county_contact()
    for language, website in (("fi", "https://itauusimaa.fi"), ("sv", "https://ostranyland.fi")):
        text = county_placeholders(domain, language, county)["customer_advice"]
        assert example_number not in text and "8.00" not in text
        assert website in text


def run(
    latest_message: dict[str, Any], domain: dict[str, Any], language: str = "fi"
) -> list[dict[str, Any]]:
    tracker = Tracker(
        "c", {"language": language}, latest_message, [], False, None, {}, "action_listen"
    )
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAnswerFaq().run(dispatcher, tracker, domain))
    return dispatcher.messages


def selected(topic: str) -> dict[str, Any]:
    return {
        "intent": {"name": "faq", "confidence": 0.9},
        "response_selector": {
            "faq": {"response": {"utter_action": f"utter_{topic}", "intent_response_key": topic}}
        },
    }


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_chosen_answer_is_sent_with_the_county_facts(
    domain: dict[str, Any], language: str
) -> None:
    [message] = run(selected("faq/opening_hours"), domain, language)
    assert message["response"] == "utter_faq/opening_hours"
    assert message["county_website"] in ("https://itauusimaa.fi", "https://ostranyland.fi")
    assert message["customer_advice"]


def test_every_answer_fills_completely(domain: dict[str, Any]) -> None:
    values = county_placeholders(domain, "fi", contact())
    for name, variations in domain["responses"].items():
        if name.startswith("utter_faq/"):
            for variation in variations:
                text = variation["text"].format(**values)
                assert "{" not in text, name


def test_no_topic_chosen_is_a_miss(domain: dict[str, Any]) -> None:
    [message] = run({"intent": {"name": "faq", "confidence": 0.9}}, domain)
    assert message["response"] == "utter_default"
