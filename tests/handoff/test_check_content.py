"""The content checker (scripts/check_content.py) finds each kind of problem, with file and line."""

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "check_content", ROOT / "scripts" / "check_content.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the project's content to break."""
    for part in ("data", "bot/domain", "handoff/texts", "tests/nlu", "tests/conversations/stories"):
        shutil.copytree(ROOT / part, tmp_path / part)
    return tmp_path


def problems(root: Path) -> list[str]:
    return list(checker().check(root))


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_projects_content_is_clean() -> None:
    assert problems(ROOT) == []


def test_missing_swedish_response_names_file_and_line(copy: Path) -> None:
    path = copy / "bot/domain/_shared.yml"
    replace(
        path,
        "      text: Varsågod! Kan jag hjälpa dig med något annat?\n",
        "      text: Ole hyvä!\n",
    )
    replace(
        path,
        "    - condition: [{type: slot, name: language, value: sv}]\n      text: Ole hyvä!",
        "    - condition: [{type: slot, name: language, value: fi}]\n      text: Ole hyvä!",
    )
    found = problems(copy)
    assert any(p.startswith(f"{path}:") and "utter_thank: no sv variation" in p for p in found), (
        found
    )


def test_duplicate_example_across_intents(copy: Path) -> None:
    path = copy / "data/nlu_fi/basics.yml"
    replace(
        path,
        "  - intent: goodbye\n    examples: |\n",
        "  - intent: goodbye\n    examples: |\n      - moikka\n",
    )
    found = problems(copy)
    assert any(f"{path}:" in p and "'moikka' also in intent greet" in p for p in found), found


def test_broken_link_unfilled_placeholder_and_placeholder_mismatch(copy: Path) -> None:
    path = copy / "bot/domain/_shared.yml"
    replace(
        path,
        "Ole hyvä! Voinko auttaa vielä jossakin?",
        "Ole hyvä! Katso http://esimerkki TODO {website}",
    )
    found = "\n".join(problems(copy))
    assert "malformed or non-https link 'http://esimerkki'" in found
    assert "unfilled placeholder: 'TODO'" in found
    assert "utter_thank: placeholders differ from the fi variation" in found


def test_intent_missing_on_one_side_and_too_few_examples(copy: Path) -> None:
    path = copy / "data/nlu_sv/basics.yml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - intent: thank")
    end = text.index("  - intent:", start + 5)
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    replace(
        copy / "data/nlu_fi/basics.yml",
        "  - intent: bot_challenge\n    examples: |\n",
        "  - intent: bot_challenge\n    examples: |\n      - x\n"
        "  - intent: lonely\n    examples: |\n",
    )
    found = "\n".join(problems(copy))
    assert "basics.yml:" in found and "intent thank has no sv examples" in found
    assert "intent lonely has no sv examples" in found
    assert "basics.yml:" in found and "examples, 15 wanted" in found


def test_faq_topic_without_answer_and_unknown_placeholder(copy: Path) -> None:
    domain = copy / "bot/domain/faq_rights.yml"
    replace(domain, "utter_faq/privacy:", "utter_faq/privacy_policy:")
    replace(domain, "{county_website}", "{county_phone}")
    found = problems(copy)
    assert any(
        "data/nlu_fi/faq_rights.yml:" in p and "faq/privacy has no answer utter_faq/privacy" in p
        for p in found
    ), found
    assert any(
        p.startswith(f"{domain}:") and "utter_faq/privacy_policy: no fi training examples" in p
        for p in found
    ), found
    assert any(
        p.startswith(f"{domain}:") and "unknown placeholder(s) ['county_phone']" in p for p in found
    ), found


def test_held_out_example_in_training_data_and_too_few_held_out(copy: Path) -> None:
    for held_out in (copy / "tests/nlu").glob("heldout*_sv.yml"):  # every sv veterans example
        text = held_out.read_text(encoding="utf-8")
        if "  - intent: faq/veterans\n" not in text:
            continue
        start = text.index("  - intent: faq/veterans\n")
        end = text.find("  - intent:", start + 1)
        held_out.write_text(text[:start] + (text[end:] if end != -1 else ""), encoding="utf-8")
    training = copy / "data/nlu_fi/faq_contact.yml"
    leaked = next(
        line.strip()[2:]
        for line in (copy / "tests/nlu/heldout_faq_fi.yml").read_text(encoding="utf-8").splitlines()
        if line.startswith("      - ")
    )
    replace(training, "    examples: |\n", f"    examples: |\n      - {leaked}\n")
    found = problems(copy)
    assert any("faq/veterans: 0 held-out sv examples, 5 wanted" in p for p in found), found
    assert any(
        "tests/nlu/heldout_faq_fi.yml:" in p
        and f"test example {leaked!r} is also training data" in p
        for p in found
    ), found


def test_faq_topic_missing_from_a_languages_regression_stories(copy: Path) -> None:
    stories = copy / "tests/conversations/stories/test_faq_sv.yml"
    replace(stories, "intent: faq/veterans", "intent: faq/home_care")
    found = problems(copy)
    assert any(
        p.startswith(f"{stories}:") and "faq/veterans is in no sv regression story" in p
        for p in found
    ), found


def test_held_out_examples_are_compared_without_case_accents_or_punctuation() -> None:
    comparable = checker().comparable
    assert comparable("Mikä on hätänumero?") == comparable("mika on hatanumero")
    assert comparable("Hur får man fysioterapi?") == comparable("hur far man fysioterapi")
    assert comparable("miten haetaan kotihoitoa") != comparable("miten haetaan omaishoitoa")
