"""The frozen realistic dialogues (tests/realistic/dialogues_*.yml) through the public API: every
reply read as acts (docs/realistic-sets.md), checked against what the turn must and must not do,
and a count of facts the bot asked again although the resident had already given them.

`python -m tests.e2e.realistic URL [fi|sv]` prints the result of every turn against a running
system (a report while working); tests/e2e/test_realistic_dialogues.py gates on it.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml

from tests.e2e.responses import response_names

ROOT = Path(__file__).resolve().parents[2]
SETS = ROOT / "tests" / "realistic"

# The act of each response (the responses of one kind share one act).
RESPONSE_ACTS: dict[str, tuple[str, ...]] = {
    "utter_emergency": ("safety", "emergency_112"),
    "utter_crisis": ("safety",),
    "utter_concern_ack": ("handoff_start",),
    "utter_request_human_ack": ("handoff_start",),
    "utter_ask_concerns": ("ask_whom",),
    "utter_ask_service_area": ("ask_area",),
    "utter_ask_municipality": ("ask_municipality",),
    "utter_ask_handoff_consent": ("ask_consent",),
    "utter_ask_contact_phone": ("ask_phone",),
    "utter_invalid_phone": ("ask_phone",),
    "utter_ask_contact_time": ("ask_time",),
    "utter_ask_contact_name": ("ask_name",),
    "utter_handoff_created": ("ticket",),
    "utter_ask_status_reference": ("ask_reference",),
    "utter_ask_status_phone_last4": ("ask_last4",),
    "utter_default": ("not_understood",),
    "utter_default_offer_person": ("not_understood",),
    "utter_choose_from_buttons": ("not_understood",),
    "utter_stopped": ("stopped",),
    "utter_out_of_scope": ("out_of_scope",),
}
PREFIX_ACTS = {
    "utter_faq/": ("answer",),
    "utter_ticket_status_": ("status",),
    "utter_safety_followup_": ("safety",),
}
# Acts read from the text itself: which help a safety answer names.
NUMBER_ACTS = {"09 2525 011": "crisis_line", "080 005 005": "nollalinja"}
# The question asked about each fact of `says`.
ASKS = {
    "whom": "ask_whom",
    "service_area": "ask_area",
    "municipality": "ask_municipality",
    "consent": "ask_consent",
    "phone": "ask_phone",
    "contact_time": "ask_time",
    "name": "ask_name",
}


def acts_of(text: str, language: str) -> list[str]:
    """The acts of one bot message (`other` for a response with no act, `unknown` for a text that
    is no response of the domain)."""
    names = response_names(text, language)
    if not names:
        return ["unknown"]
    acts: list[str] = []
    for name in names:
        if name in RESPONSE_ACTS:
            acts.extend(RESPONSE_ACTS[name])
        for prefix, prefixed in PREFIX_ACTS.items():
            if name.startswith(prefix):
                acts.extend(prefixed)
    if "safety" in acts:
        acts.extend(act for number, act in NUMBER_ACTS.items() if number in text)
        if "soita heti 112" in text.lower() or "ring genast 112" in text.lower():
            acts.append("emergency_112")
    return sorted(set(acts)) or ["other"]


@dataclass
class TurnResult:
    dialogue: str
    number: int
    user: str
    texts: list[str]
    acts: list[list[str]]
    problems: list[str] = field(default_factory=list)
    asked_again: list[str] = field(default_factory=list)


@dataclass
class DialogueResult:
    id: str
    turns: list[TurnResult]
    ticket_problems: list[str]

    @property
    def passed(self) -> bool:
        return not self.ticket_problems and all(
            not t.problems and not t.asked_again for t in self.turns
        )


def dialogues(language: str) -> list[dict[str, Any]]:
    raw = yaml.safe_load((SETS / f"dialogues_{language}.yml").read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = raw["dialogues"]
    return found


def run_dialogue(
    url: str, language: str, dialogue: dict[str, Any], admin: dict[str, str] | None = None
) -> DialogueResult:
    """Plays the dialogue; `admin` (an advisor API token's header) reads the ticket's fields the
    resident's reply does not show (whom it concerns)."""
    started = httpx.post(f"{url}/api/v1/conversations", json={"language": language}, timeout=10)
    started.raise_for_status()
    conversation = started.json()
    headers = {"Authorization": f"Bearer {conversation['token']}"}
    messages_url = f"{url}/api/v1/conversations/{conversation['conversation_id']}/messages"
    known: set[str] = set()
    ticket: dict[str, Any] | None = None
    results = []
    for number, turn in enumerate(dialogue["turns"], start=1):
        response = httpx.post(
            messages_url, json={"text": turn["user"]}, headers=headers, timeout=60
        )
        response.raise_for_status()
        reply = response.json()
        texts = [m["text"] for m in reply["messages"] if m["sender"] == "bot"]
        acts = [acts_of(text, language) for text in texts]
        result = TurnResult(dialogue["id"], number, turn["user"], texts, acts)
        flat = {act for message in acts for act in message}
        for act in turn.get("must") or []:
            if act not in flat:
                result.problems.append(f"missing {act}")
        for act in turn.get("must_not") or []:
            if act in flat:
                result.problems.append(f"unexpected {act}")
        if "unknown" in flat:
            result.problems.append("a message that is no response of the domain")
        if turn.get("last") and (not acts or turn["last"] not in acts[-1]):
            result.problems.append(f"last message is not {turn['last']}")
        known |= {fact for fact, value in (turn.get("says") or {}).items() if value}
        result.asked_again = sorted(ASKS[f] for f in known if f in ASKS and ASKS[f] in flat)
        if "ticket" in flat:
            ticket = reply.get("ticket")
            known = set()
        results.append(result)
    ticket_problems = []
    expected = dict(dialogue.get("ticket") or {})
    if ticket is not None and admin is not None:
        detail = httpx.get(f"{url}/api/v1/tickets/{ticket['reference']}", headers=admin, timeout=10)
        detail.raise_for_status()
        ticket = {**detail.json(), **ticket}
    elif admin is None:
        expected.pop("concerns", None)
    if expected:
        if ticket is None:
            ticket_problems.append("no ticket")
        else:
            ticket_problems.extend(
                f"ticket {key} {ticket.get(key)!r} != {value!r}"
                for key, value in expected.items()
                if ticket.get(key) != value
            )
    return DialogueResult(dialogue["id"], results, ticket_problems)


def report(results: list[DialogueResult], *, verbose: bool = False) -> str:
    lines = []
    for result in results:
        lines.append(f"{'ok  ' if result.passed else 'FAIL'} {result.id}")
        for turn in result.turns:
            if verbose and not result.passed:
                lines.append(f"  > {turn.user}")
                lines.extend(
                    f"    < {acts} {text[:110]}"
                    for acts, text in zip(turn.acts, turn.texts, strict=True)
                )
            if turn.problems or turn.asked_again:
                lines.append(f"  turn {turn.number}: {turn.user[:90]!r}")
                lines.append(f"    acts {turn.acts}")
                lines.append(f"    problems {turn.problems} asked again {turn.asked_again}")
        lines.extend(f"  {problem}" for problem in result.ticket_problems)
    passed = sum(result.passed for result in results)
    asked = sum(len(t.asked_again) for result in results for t in result.turns)
    lines.append(f"{passed}/{len(results)} dialogues passed; facts asked again: {asked}")
    return "\n".join(lines)


if __name__ == "__main__":
    base = sys.argv[1]
    verbose = "-v" in sys.argv
    token = os.environ.get("NEUVO_ADMIN_TOKEN")
    admin_headers = {"Authorization": f"Bearer {token}"} if token else None
    languages = [a for a in sys.argv[2:] if a != "-v"] or ["fi", "sv"]
    only = [a for a in languages if "-d" in a]
    runs = []
    for language in [a for a in languages if a in ("fi", "sv")] or ["fi", "sv"]:
        for dialogue in dialogues(language):
            if not only or dialogue["id"] in only:
                runs.append(run_dialogue(base, language, dialogue, admin_headers))
    print(report(runs, verbose=verbose))
