"""scripts/nlu_compare.py: each candidate is production's pipeline with its own learners and
thresholds, and nothing else changed."""

import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import nlu_compare  # noqa: E402

PRODUCTION = yaml.safe_load((ROOT / "bot" / "config.yml").read_text(encoding="utf-8"))


def component(config: dict, name: str) -> dict:
    return next(c for c in config["pipeline"] if c["name"].rsplit(".", 1)[-1] == name)


def test_production_is_the_linear_candidate_with_its_settings() -> None:
    candidate = nlu_compare.candidate_config("linear", PRODUCTION)
    assert candidate["pipeline"] == PRODUCTION["pipeline"]
    assert "policies" not in candidate


def test_a_diet_candidate_gets_diets_learners_and_thresholds() -> None:
    candidate = nlu_compare.candidate_config("char", PRODUCTION)
    names = [c["name"] for c in candidate["pipeline"]]
    assert names[:4] == [
        "WhitespaceTokenizer",
        "CountVectorsFeaturizer",
        "DIETClassifier",
        "ResponseSelector",
    ]
    assert component(candidate, "FallbackClassifier")["threshold"] == 0.5
    assert component(candidate, "SafetyLayer")["escalation_threshold"] == 0.25
    assert component(candidate, "SafetyLayer")["confident_threshold"] == 0.6
    # the rule components after the classifiers are production's
    assert names[-4:] == [c["name"] for c in PRODUCTION["pipeline"]][-4:]


def test_set_changes_a_later_components_setting_for_one_run() -> None:
    extra = nlu_compare.parse_settings(["SafetyLayer.escalation_threshold=0.1"])
    candidate = nlu_compare.candidate_config("linear", PRODUCTION, extra)
    assert component(candidate, "SafetyLayer")["escalation_threshold"] == 0.1
    assert component(PRODUCTION, "SafetyLayer")["escalation_threshold"] == 0.25


@pytest.mark.parametrize("item", ["SafetyLayer=0.1", "escalation_threshold=0.1", ".x=1"])
def test_a_malformed_setting_is_refused(item: str) -> None:
    with pytest.raises(SystemExit, match=r"Component\.key=value"):
        nlu_compare.parse_settings([item])


def test_a_setting_for_an_unknown_component_is_refused() -> None:
    with pytest.raises(SystemExit, match="no component Nope"):
        nlu_compare.candidate_config("linear", PRODUCTION, {"Nope": {"x": 1}})


def test_random_letters_are_repeatable_and_scored_by_the_answer_they_got() -> None:
    assert nlu_compare.random_letters(5) == nlu_compare.random_letters(5)
    assert all(3 <= len(text.split()) <= 6 for text in nlu_compare.random_letters(50))
    safety, other = nlu_compare.noise_answers(
        ["nlu_fallback", "out_of_scope", "emergency", "faq/home_care"]
    )
    assert (safety, other) == (0.25, 0.25)
