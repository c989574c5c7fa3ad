"""FAQ answers through the whole system carry the county's facts from the county file, and never
the example values the default county file still has."""

from pathlib import Path

import pytest
import yaml

from tests.e2e.conftest import System, say, start

ROOT = Path(__file__).resolve().parents[2]
COUNTY = yaml.safe_load((ROOT / "county" / "itauusimaa.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("language", "question"),
    [
        ("fi", "millä tavoin saan yhteyden hyvinvointialueeseen"),
        ("sv", "på vilka sätt kan jag kontakta välfärdsområdet"),
    ],
)
def test_contact_answer_points_to_the_website_and_never_states_the_example_number(
    system: System, language: str, question: str
) -> None:
    reply = say(system, start(system, language), question)
    [message] = reply["messages"]
    assert reply["language"] == language
    assert COUNTY["county"]["website"][language] in message["text"]
    assert COUNTY["contact_numbers"]["customer_advice"]["example"] is True
    assert COUNTY["contact_numbers"]["customer_advice"]["number"] not in message["text"]
    assert "{" not in message["text"]
