"""Finnish and Swedish are equal: every response and every intent exists in both languages."""

import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("fi", "sv")
KINDS = {"answer", "question", "fallback", "handoff", "emergency"}
MIN_EXAMPLES = 15


@cache
def load_yaml_dir(path: Path) -> list[dict[str, Any]]:
    return [
        yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        for file in sorted(path.glob("*.yml"))
    ]


@cache
def responses() -> dict[str, list[dict[str, Any]]]:
    merged: dict[str, list[dict[str, Any]]] = {}
    for part in load_yaml_dir(ROOT / "bot" / "domain"):
        merged.update(part.get("responses") or {})
    return merged


@cache
def domain_intents() -> set[str]:
    return {
        intent
        for part in load_yaml_dir(ROOT / "bot" / "domain")
        for intent in part.get("intents") or []
    }


@cache
def nlu_examples(language: str) -> dict[str, list[str]]:
    examples: dict[str, list[str]] = {}
    for part in load_yaml_dir(ROOT / "data" / f"nlu_{language}"):
        for item in part.get("nlu") or []:
            if "intent" in item:
                lines = [
                    line[2:].strip()
                    for line in item["examples"].splitlines()
                    if line.startswith("- ")
                ]
                examples.setdefault(item["intent"], []).extend(lines)
    return examples


def by_other_conditions(variations: list[dict[str, Any]]) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Variations keyed by their non-language conditions, then by language."""
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    for variation in variations:
        conditions = variation.get("condition") or []
        [language] = [c["value"] for c in conditions if c["name"] == "language"]
        others = tuple(
            sorted((c["name"], str(c["value"])) for c in conditions if c["name"] != "language")
        )
        groups.setdefault(others, {})
        assert language not in groups[others], f"two {language} variations for {others}"
        groups[others][language] = variation
    return groups


@pytest.mark.parametrize("name", sorted(responses()))
def test_response_has_one_variation_per_language(name: str) -> None:
    for others, variations in by_other_conditions(responses()[name]).items():
        assert sorted(variations) == list(LANGUAGES), (
            f"{name} {others}: variations {sorted(variations)}"
        )
        for language, variation in variations.items():
            assert variation["text"].strip(), f"{name} {others}: empty {language} text"


@pytest.mark.parametrize("name", sorted(responses()))
def test_response_kind_is_the_same_in_both_languages(name: str) -> None:
    kinds = {
        (variation.get("custom") or {}).get("kind", "answer") for variation in responses()[name]
    }
    assert len(kinds) == 1 and kinds <= KINDS, f"{name}: kinds {kinds}"


@pytest.mark.parametrize("name", sorted(responses()))
def test_response_buttons_match_across_languages(name: str) -> None:
    for others, variations in by_other_conditions(responses()[name]).items():
        payloads = [[b["payload"] for b in v.get("buttons") or []] for v in variations.values()]
        assert all(p == payloads[0] for p in payloads), (
            f"{name} {others}: buttons differ: {payloads}"
        )


@pytest.mark.parametrize("name", sorted(responses()))
def test_response_placeholders_match_across_languages(name: str) -> None:
    for others, variations in by_other_conditions(responses()[name]).items():
        placeholders = [sorted(re.findall(r"\{(\w+)\}", v["text"])) for v in variations.values()]
        assert all(p == placeholders[0] for p in placeholders), f"{name} {others}: {placeholders}"


def test_no_response_has_an_unfilled_placeholder() -> None:
    for name, variations in responses().items():
        for variation in variations:
            assert not re.search(r"\bTODO\b|XXX|\{\{|\[\[", variation["text"]), name


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_domain_intent_has_examples(language: str) -> None:
    examples = nlu_examples(language)
    for intent in sorted(domain_intents()):
        topics = [name for name in examples if name.startswith(f"{intent}/")]
        for name in topics or [intent]:
            count = len(examples.get(name, []))
            assert count >= MIN_EXAMPLES, (
                f"{name} has {count} {language} examples, wants {MIN_EXAMPLES}"
            )
    base_names = {name.split("/")[0] for name in examples}
    assert base_names <= domain_intents(), f"not in the domain: {base_names - domain_intents()}"


def test_every_faq_topic_has_an_answer_and_every_answer_a_topic() -> None:
    answers = {name.removeprefix("utter_") for name in responses() if "/" in name}
    for language in LANGUAGES:
        topics = {name for name in nlu_examples(language) if "/" in name}
        assert topics == answers, (
            f"{language}: topics without an answer {sorted(topics - answers)}, "
            f"answers without examples {sorted(answers - topics)}"
        )


def test_no_example_is_in_two_intents() -> None:
    owners: Counter[str] = Counter()
    for language in LANGUAGES:
        for intent, lines in nlu_examples(language).items():
            owners.update({(line.lower(), intent) for line in lines})
    texts = Counter(text for text, _intent in owners)
    assert [text for text, count in texts.items() if count > 1] == []
