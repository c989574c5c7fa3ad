"""The benchmark's own arithmetic and checks (scripts/benchmark/): percentiles, throughput in a
window, the transcript check that finds lost messages, and the scripted conversations' pairing."""

import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def bench(name: str) -> ModuleType:
    """A module of scripts/benchmark (only those that do not import Locust)."""
    scripts = str(ROOT / "scripts")
    if scripts not in sys.path:
        sys.path.insert(0, scripts)
    return importlib.import_module(f"benchmark.{name}")


def test_percentile_is_the_nearest_rank() -> None:
    figures = bench("figures")
    values = [float(v) for v in range(100, 0, -1)]  # unsorted on purpose
    assert figures.percentile(values, 0.5) == 50
    assert figures.percentile(values, 0.95) == 95
    assert figures.percentile(values, 1.0) == 100
    assert figures.percentile([7.0], 0.95) == 7
    assert figures.percentile([1.0, 2.0, 3.0], 0.5) == 2
    with pytest.raises(ValueError):
        figures.percentile([], 0.5)


def test_window_counts_the_turns_that_finished_inside_it() -> None:
    figures = bench("figures")
    sample = figures.Sample
    samples = [
        sample("turn", 95.0, 6000, True),  # started before, finished inside: counted
        sample("turn", 100.0, 500, True),
        sample("turn", 104.0, 2000, True),
        sample("turn", 109.0, 2000, True),  # finished after the window
        sample("turn", 101.0, 100, False),  # failed: not in the percentiles
        sample("create conversation", 102.0, 10, True),  # another request
    ]
    window = figures.window_figures(samples, name="turn", start=100.0, end=110.0)
    assert window.turns == 3 and window.failed == 1
    assert window.p50_ms == 2000 and window.p95_ms == 6000 and window.max_ms == 6000
    assert window.turns_per_second == pytest.approx(0.3)
    empty = figures.window_figures(samples, name="turn", start=200.0, end=210.0)
    assert empty.turns == 0 and empty.p50_ms is None


def test_an_accepted_message_missing_from_the_transcript_is_lost() -> None:
    figures = bench("figures")
    sent = [
        figures.SentMessage(text="hei", payload=None, status=200),
        figures.SentMessage(text="mitä maksaa", payload=None, status=200),
        figures.SentMessage(text=None, payload="/affirm", status=200),
    ]
    transcript = [
        {"sender": "resident", "text": "hei", "payload": None},
        {"sender": "bot", "text": "Hei!", "payload": None},
        {"sender": "resident", "text": None, "payload": "/affirm"},
    ]
    check = figures.check_transcript(sent, transcript)
    assert check.accepted == 3 and check.stored == 2
    assert [m.text for m in check.lost] == ["mitä maksaa"]
    assert check.out_of_order == 0


def test_a_message_stored_without_an_answer_is_counted_and_a_phone_number_compared_masked() -> None:
    figures = bench("figures")
    sent = [
        figures.SentMessage(text="040 123 4567", payload=None, status=200),
        figures.SentMessage(text="kiitos", payload=None, status=0),  # the service died meanwhile
        figures.SentMessage(text="hei", payload=None, status=0),  # never arrived
    ]
    transcript = [
        {"sender": "resident", "text": "[phone]", "payload": None},
        {"sender": "resident", "text": "kiitos", "payload": None},
        {"sender": "resident", "text": "something nobody sent", "payload": None},
    ]
    check = figures.check_transcript(sent, transcript)
    assert check.lost == [] and check.accepted == 1
    assert check.stored_unanswered == 1
    assert check.out_of_order == 1


def intents(script: Any) -> list[str]:
    return [s.message.split("{")[0] for s in script.steps if s.is_payload]


def test_each_scripted_conversation_has_the_same_steps_in_finnish_and_swedish() -> None:
    conversations = bench("conversations")
    for section in ("mix", "tickets"):
        scripts = conversations.load(section)
        assert scripts and len(scripts) % 2 == 0
        for finnish, swedish in zip(scripts[::2], scripts[1::2], strict=True):
            assert (finnish.name, finnish.language, swedish.language) == (finnish.name, "fi", "sv")
            assert finnish.name == swedish.name
            shape = [
                (s.kind, s.ticket, s.is_payload, s.contact_phone is None) for s in finnish.steps
            ]
            assert shape == [
                (s.kind, s.ticket, s.is_payload, s.contact_phone is None) for s in swedish.steps
            ]
            # The same buttons (an /inform's value may differ).
            assert intents(finnish) == intents(swedish)
    tickets = conversations.load("tickets")
    assert all(any(s.ticket or s.contact_phone for s in script.steps) for script in tickets)
