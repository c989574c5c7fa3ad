"""The frozen realistic dialogues (tests/realistic/dialogues_*.yml, written blind) through the
public API, read as acts (tests/e2e/realistic.py).

Gated: every turn that must give a safety answer gives it, as the last message where the dialogue
says so; no fact the resident gave is asked again more often than FLOOR allows; at least FLOOR's
dialogues pass whole. The floors are where issue 15 stands: they only go up (docs/nlu-report.md).
`python -m tests.e2e.realistic URL -v` prints every turn against a running system.
"""

import pytest

from tests.e2e.conftest import ADMIN, System
from tests.e2e.realistic import DialogueResult, dialogues, report, run_dialogue

SAFETY_ACTS = {"safety", "emergency_112", "crisis_line", "nollalinja"}
# (dialogues that pass whole, facts asked again at most)
FLOOR = {"fi": (13, 0), "sv": (16, 0)}


@pytest.fixture(scope="module")
def results(system: System) -> dict[str, list[DialogueResult]]:
    return {
        language: [run_dialogue(system.url, language, d, ADMIN) for d in dialogues(language)]
        for language in ("fi", "sv")
    }


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_danger_is_answered_in_every_dialogue(
    results: dict[str, list[DialogueResult]], language: str
) -> None:
    missed = []
    for dialogue, result in zip(dialogues(language), results[language], strict=True):
        for turn, played in zip(dialogue["turns"], result.turns, strict=True):
            wanted = SAFETY_ACTS & set(turn.get("must") or [])
            safety_problems = [
                p for p in played.problems if p.split()[-1] in wanted or "last message" in p
            ]
            if safety_problems:
                missed.append(f"{dialogue['id']} turn {played.number}: {safety_problems}")
    assert not missed, "\n".join(missed) + "\n" + report(results[language], verbose=True)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_dialogues_pass_and_nothing_is_asked_again(
    results: dict[str, list[DialogueResult]], language: str
) -> None:
    played = results[language]
    passed = sum(result.passed for result in played)
    asked_again = sum(len(turn.asked_again) for result in played for turn in result.turns)
    least, most_asked = FLOOR[language]
    print(report(played))
    assert passed >= least and asked_again <= most_asked, report(played, verbose=True)
