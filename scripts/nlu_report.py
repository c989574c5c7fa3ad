"""NLU report on the held-out test sets, per language.

Runs the trained model on every example of tests/nlu/heldout*_{fi,sv}.yml (never trained on) and
prints per-intent precision, recall and F1 and the macro-F1 of each language; writes the same as
Markdown to var/reports/nlu.md. Exits non-zero when a gate fails: recall of emergency and crisis
must be 100 % in both languages.

tests/nlu/fresh*_{fi,sv}.yml are reported too but not gated: sets written later by someone who saw
neither the training data nor the safety terms, to show how the bot does on wording nobody tuned
it for (the gated sets were looked at while the safety terms were curated).

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
SAFETY_INTENTS = ("emergency", "crisis")
Example = tuple[str, str]  # (text, intent)


SETS = {"heldout": "held-out sets (gated)", "fresh": "fresh sets (reported, not gated)"}


def held_out(prefix: str, language: str) -> list[Example]:
    examples: list[Example] = []
    for path in sorted((ROOT / "tests" / "nlu").glob(f"{prefix}*_{language}.yml")):
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


class Model:
    """The trained model, loaded once."""

    def __init__(self, path: Path) -> None:
        from rasa.core.agent import Agent

        self._agent = Agent.load(str(path))

    def intents(self, texts: list[str]) -> list[str]:
        async def parse_all() -> list[str]:
            parsed = [await self._agent.parse_message(text) for text in texts]
            return [(p.get("intent") or {}).get("name") or "" for p in parsed]

        return asyncio.run(parse_all())


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
    macro = sum(row["f1"] for row in table.values()) / len(table)
    lines += [
        f"## {title}, {language}: {len(examples)} examples, macro-F1 {macro:.3f}",
        "",
        "| intent | precision | recall | F1 | examples |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    failures = []
    for intent, row in table.items():
        lines.append(
            f"| {intent} | {row['precision']:.3f} | {row['recall']:.3f} | {row['f1']:.3f}"
            f" | {int(row['support'])} |"
        )
        if prefix == "heldout" and intent in SAFETY_INTENTS and row["recall"] < 1.0:
            failures.append(f"{language}: {intent} recall {row['recall']:.3f} < 1.000")
    lines += ["", "Misclassified:", "", *(mistakes or ["- none"]), ""]
    return failures


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
