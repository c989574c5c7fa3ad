"""Runs the conversation regression tests of tests/conversations/dialogues/ through the public API.

Each reply must consist of exactly the named responses, in order, in the conversation's language:
a response's text (its placeholders matching anything) in any of its variations for that language.
"""

from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.e2e.conftest import ADMIN, System, say, start
from tests.e2e.responses import matches

ROOT = Path(__file__).resolve().parents[2]
DIALOGUES = sorted((ROOT / "tests" / "conversations" / "dialogues").glob("*.yml"))


def cases() -> list[Any]:
    found = []
    for path in DIALOGUES:
        for dialogue in yaml.safe_load(path.read_text(encoding="utf-8"))["dialogues"]:
            for language in ("fi", "sv"):
                assert language in dialogue, (
                    f"{path.name}: {dialogue['name']} has no {language} version"
                )
                found.append(
                    pytest.param(
                        language,
                        dialogue[language],
                        id=f"{path.stem}: {dialogue['name']} ({language})",
                    )
                )
    return found


@pytest.mark.parametrize(("language", "steps"), cases())
def test_dialogue(system: System, language: str, steps: list[dict[str, Any]]) -> None:
    conversation = start(system, language)
    for number, step in enumerate(steps, start=1):
        assert isinstance(step["user"], str), f"step {number}: quote {step['user']!r} in the YAML"
        reply = say(system, conversation, step["user"])
        # The bot's messages; the service's own notices (the live-chat offer) are tested elsewhere.
        texts = [message["text"] for message in reply["messages"] if message["sender"] == "bot"]
        expected = step["bot"]
        where = f"step {number} ({step['user']!r})"
        assert len(texts) == len(expected) and all(
            matches(text, name, language) for text, name in zip(texts, expected, strict=True)
        ), f"{where}: expected {expected}, got {texts}"
        assert reply["language"] == language, f"{where}: answered in {reply['language']}"
        if "ticket" in step:
            if step["ticket"] is None:
                assert reply["ticket"] is None, f"{where}: unexpected ticket {reply['ticket']}"
                continue
            ticket = reply["ticket"]
            assert ticket is not None, f"{where}: no ticket"
            for field, value in step["ticket"].items():
                assert ticket[field] == value, (
                    f"{where}: ticket {field} {ticket[field]!r} != {value!r}"
                )
            assert ticket["reference"] in texts[-1]
            due = ticket["due_date"].split("-")
            assert f"{int(due[2])}.{int(due[1])}.{due[0]}" in texts[-1]
            worklist = httpx.get(
                f"{system.url}/api/v1/tickets",
                params={"service_task": ticket["service_task"]},
                headers=ADMIN,
                timeout=10,
            ).json()
            assert ticket["reference"] in [listed["reference"] for listed in worklist]
