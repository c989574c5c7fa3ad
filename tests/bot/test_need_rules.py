"""Need identification by rules: municipality in every case form, service area, whom it concerns,
age hint and reference."""

from pathlib import Path

import pytest
import yaml

from bot.components.need_rules import NeedRules

ROOT = Path(__file__).resolve().parents[2]
CASES = yaml.safe_load((ROOT / "tests" / "lexicon" / "need_cases.yml").read_text(encoding="utf-8"))
rules = NeedRules()


def found(text: str) -> dict[str, str]:
    return {item.entity: item.value for item in rules.extract(text)}


@pytest.mark.parametrize(
    ("text", "municipality"),
    [
        ("asun Porvoossa", "Porvoo"),
        ("muutin Porvooseen", "Porvoo"),
        ("Porvoon keskustassa", "Porvoo"),
        ("porvoosta", "Porvoo"),
        ("Loviisassa", "Loviisa"),
        ("Loviisaan", "Loviisa"),
        ("sipoossa", "Sipoo"),
        ("Sipooseen", "Sipoo"),
        ("Askolassa", "Askola"),
        ("Myrskylässä", "Myrskylä"),
        ("myrskylassa", "Myrskylä"),
        ("Pukkilaan", "Pukkila"),
        ("Lapinjärvellä", "Lapinjärvi"),
        ("Lapinjärven kunta", "Lapinjärvi"),
        ("lapinjarvelta", "Lapinjärvi"),
        ("i Borgå", "Porvoo"),
        ("jag bor i borga", "Porvoo"),
        ("i Lovisa", "Loviisa"),
        ("Sibbo", "Sipoo"),
        ("Mörskom", "Myrskylä"),
        ("i Lappträsk", "Lapinjärvi"),
        ("Askola", "Askola"),
    ],
)
def test_municipality_in_every_form(text: str, municipality: str) -> None:
    assert found(text).get("municipality") == municipality


@pytest.mark.parametrize("text", ["asun Helsingissä", "Vantaalla", "i Esbo", "porvari"])
def test_other_places_are_not_municipalities(text: str) -> None:
    assert "municipality" not in found(text)


@pytest.mark.parametrize(
    ("text", "age", "area"),
    [
        ("äitini on 86-vuotias", "86", "elderly"),
        ("13-vuotias poikani", "13", "lanupe"),
        ("olen 45 v", "45", "working_age"),
        ("hon är 90 år", "90", "elderly"),
        ("en 15-åring", "15", "lanupe"),
    ],
)
def test_age_hint_and_the_area_it_implies(text: str, age: str, area: str) -> None:
    assert found(text).get("age_hint") == age
    assert found(text).get("service_area") == area


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        ("asia IU-7K3M9", "IU-7K3M9"),
        ("iu-7k3m9 tilanne", "IU-7K3M9"),
        ("IU 7K3M9", None),
        ("referens IU - 4HQ2T", "IU-4HQ2T"),
    ],
)
def test_reference(text: str, reference: str | None) -> None:
    assert found(text).get("reference") == reference


@pytest.mark.parametrize("case", CASES, ids=[case["text"][:40] for case in CASES])
def test_need_cases(case: dict) -> None:
    result = found(case["text"])
    if case.get("service_area"):
        assert result.get("service_area") == case["service_area"]
    if case.get("concerns"):
        assert result.get("concerns") == case["concerns"]
