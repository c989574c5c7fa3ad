"""NLU report on the held-out test sets, per language.

Runs the trained model on every example of tests/nlu/heldout*_{fi,sv}.yml (never trained on) and
prints per-intent precision, recall and F1 and the macro-F1 of each language; writes the same as
Markdown to var/reports/nlu.md. A frequently asked question counts as its topic (`faq/<topic>`,
the classifier's choice of topic), so every FAQ topic is scored like an intent.

Exits non-zero when a gate fails, in either language (the targets of issue 4):
- macro-F1 over all intents and FAQ topics at least 0.95;
- F1 of every intent and FAQ topic at least 0.80;
- recall of emergency and crisis 100 %.
A failure lists the gate and, for an intent or topic under 0.80, the held-out examples it got
wrong or wrongly took. The held-out sets grew on 2026-11-23 (heldout_more_*: 5 more examples per
label, written by someone who saw neither the training data nor the other test sets), which
brought macro-F1 down from 0.963/0.960 to 0.937/0.948 with DIET: the old sets had been read while
the data was tuned. The gates were floors (0.945 / 0.70) until the linear classifier and the
boundary training data (docs/nlu-pipeline.md) reached the targets.

tests/nlu/fresh_*_{fi,sv}.yml and tests/nlu/fresh2_{fi,sv}.yml are reported too but not gated:
sets written later by someone who saw neither the training data nor the safety terms, to show how
the bot does on wording nobody tuned it for. The first fresh sets were read while safety terms
were curated; fresh2 (2026-11-23, every intent and topic) had not been read when it was added.

    .venv-bot/bin/python scripts/nlu_report.py [--model models/neuvo.tar.gz]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the model's own components live in bot/components
sys.path.insert(0, str(ROOT / "scripts"))
import realistic  # noqa: E402

SAFETY_INTENTS = ("emergency", "crisis")
MIN_MACRO_F1 = 0.95
MIN_F1 = 0.80
Example = tuple[str, str]  # (text, intent)


REALISTIC_SETS = {
    "messages": "realistic messages, written blind (gated)",
    "untouched": "realistic messages written at the end of the round (reported, not gated)",
}
SETS = {
    "heldout": "held-out sets (gated)",
    "fresh": "fresh sets (reported, not gated)",
    "fresh2": "fresh2 sets, untouched when added (reported, not gated)",
}


def held_out(prefix: str, language: str) -> list[Example]:
    examples: list[Example] = []
    for path in sorted((ROOT / "tests" / "nlu").glob(f"{prefix}_*{language}.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in item["examples"].splitlines():
                if line.strip().startswith("- "):
                    examples.append((line.strip()[2:].strip(), item["intent"]))
    return examples


def scores(pairs: list[tuple[str, str]]) -> dict[str, dict[str, float]]:
    """Per-intent precision, recall, F1 and support from (expected, predicted) pairs."""
    true_positive: Counter[str] = Counter()
    predicted: Counter[str] = Counter()
    support: Counter[str] = Counter()
    for expected, got in pairs:
        support[expected] += 1
        predicted[got] += 1
        if expected == got:
            true_positive[expected] += 1
    table: dict[str, dict[str, float]] = {}
    for intent in sorted(support):
        precision = true_positive[intent] / predicted[intent] if predicted[intent] else 0.0
        recall = true_positive[intent] / support[intent]
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        table[intent] = {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "support": support[intent],
        }
    return table


def macro_f1(table: dict[str, dict[str, float]]) -> float:
    """The mean F1 over every label of a `scores` table."""
    return sum(row["f1"] for row in table.values()) / len(table)


def label(parsed: dict) -> str:  # type: ignore[type-arg]
    """The intent, or for a retrieval intent the full topic the classifier chose."""
    intent = (parsed.get("intent") or {}).get("name") or ""
    selected = (parsed.get("response_selector") or {}).get(intent) or {}
    return (selected.get("response") or {}).get("intent_response_key") or intent


class Model:
    """The trained model, loaded once."""

    def __init__(self, path: Path) -> None:
        from rasa.core.agent import Agent

        self._agent = Agent.load(str(path))

    def parse(self, texts: list[str]) -> list[dict]:  # type: ignore[type-arg]
        async def parse_all() -> list[dict]:  # type: ignore[type-arg]
            return [await self._agent.parse_message(text) for text in texts]

        return asyncio.run(parse_all())

    def intents(self, texts: list[str]) -> list[str]:
        return [label(p) for p in self.parse(texts)]


def realistic_report(
    model: Model, prefix: str, title: str, language: str, lines: list[str]
) -> list[str]:
    """One language's figures on a realistic set (tests/realistic/); its gate failures when the set
    is the gated one (`messages`)."""
    items = realistic.load(language, prefix)
    if not items:
        return []
    readings = [realistic.reading(parsed) for parsed in model.parse([i.text for i in items])]
    figures = realistic.score(language, items, readings)
    lines += realistic.markdown(title, figures)
    return realistic.gate(figures) if prefix == "messages" else []


def gate(language: str, table: dict[str, dict[str, float]], mistakes: list[str]) -> list[str]:
    """The gate failures of one language's held-out table; `mistakes` as listed in the report."""
    failures = []
    macro = macro_f1(table)
    # F1 = 0.8 computed in floating point can come out as 0.7999999999999999: compare rounded.
    if round(macro, 6) < MIN_MACRO_F1:
        failures.append(f"{language}: macro-F1 {macro:.3f} < {MIN_MACRO_F1:.2f}")
    for intent, row in table.items():
        if intent in SAFETY_INTENTS and row["recall"] < 1.0:
            failures.append(f"{language}: {intent} recall {row['recall']:.3f} < 1.000")
        if round(row["f1"], 6) < MIN_F1:
            confused = [
                m for m in mistakes if f"expected {intent}," in m or m.endswith(f"got {intent}")
            ]
            failures.append(
                f"{language}: {intent} F1 {row['f1']:.3f} < {MIN_F1:.2f}\n    "
                + "\n    ".join(confused)
            )
    return failures


def report(model: Model, prefix: str, title: str, language: str, lines: list[str]) -> list[str]:
    """Append one language's table of one kind of set to `lines`; return its gate failures."""
    examples = held_out(prefix, language)
    if not examples:
        return []
    predictions = model.intents([text for text, _ in examples])
    pairs = [(intent, got) for (_, intent), got in zip(examples, predictions, strict=True)]
    mistakes = [
        f"- `{text}`: expected {intent}, got {got}"
        for (text, intent), got in zip(examples, predictions, strict=True)
        if intent != got
    ]
    table = scores(pairs)
    macro = macro_f1(table)
    lines += [
        f"## {title}, {language}: {len(examples)} examples, macro-F1 {macro:.3f}",
        "",
        "| intent | precision | recall | F1 | examples |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for intent, row in table.items():
        lines.append(
            f"| {intent} | {row['precision']:.3f} | {row['recall']:.3f} | {row['f1']:.3f}"
            f" | {int(row['support'])} |"
        )
    lines += ["", "Misclassified:", "", *(mistakes or ["- none"]), ""]
    return gate(language, table, mistakes) if prefix == "heldout" else []


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default=str(ROOT / "models" / "neuvo.tar.gz"))
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    model = Model(Path(args.model))
    lines = ["# NLU report", ""]
    failures: list[str] = []
    for prefix, title in REALISTIC_SETS.items():
        for language in ("fi", "sv"):
            failures += realistic_report(model, prefix, title, language, lines)
    for prefix, title in SETS.items():
        for language in ("fi", "sv"):
            failures += report(model, prefix, title, language, lines)
    text = "\n".join(lines)
    print(text)
    out = ROOT / "var" / "reports" / "nlu.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")
    if failures:
        print("NLU GATE FAILED:\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    print(f"NLU gates passed; report written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
