"""Cross-validated comparison of NLU pipelines, per language (docs/nlu-pipeline.md).

For each language, the training examples of data/nlu_<language>/ are split into k stratified folds
(by intent, FAQ topics counted as their own labels); each candidate pipeline is trained on k-1 folds
and scored on the one left out, k times. Everything except the tokenisation and features is the
production pipeline of bot/config.yml (DIET, ResponseSelector, the rule components, the fallback),
so the candidates differ only where they are meant to.

Prints, and writes to var/reports/nlu-compare.md, a table per language: macro-F1 and accuracy over
all intents and FAQ topics (mean of the folds), the weakest label, and the training time.

    .venv-bot/bin/python scripts/nlu_compare.py [--folds 3] [--languages fi sv] [--pipelines ...]

Slow by design (k × pipelines × languages trainings): it is run when the pipeline is reconsidered,
not in the test command.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import logging
import os
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from nlu_report import label, scores  # noqa: E402

CHAR_NGRAMS = {
    "name": "CountVectorsFeaturizer",
    "analyzer": "char_wb",
    "min_ngram": 2,
    "max_ngram": 5,
}
WORD_FEATURES = [
    {"name": "RegexFeaturizer"},
    {"name": "LexicalSyntacticFeaturizer"},
    {"name": "CountVectorsFeaturizer"},
    CHAR_NGRAMS,
]
# The tokenisation and featurisation of each candidate; the rest of the pipeline is production's.
CANDIDATES: dict[str, tuple[str, list[dict[str, Any]]]] = {
    "char": (
        "whitespace tokens; character n-grams (char_wb 2–5) only",
        [{"name": "WhitespaceTokenizer"}, CHAR_NGRAMS],
    ),
    "words_char": (
        "whitespace tokens; regex and lexical-syntactic features, word counts, char n-grams 2–5",
        [{"name": "WhitespaceTokenizer"}, *WORD_FEATURES],
    ),
    "stems_char": (
        "spaCy tokens with folded 6-character stems as lemmas; regex and lexical-syntactic "
        "features, stem counts, char n-grams 2–5",
        [{"name": "bot.components.tokenizer.StemmingTokenizer"}, *WORD_FEATURES],
    ),
}
FIRST_LEARNER = "DIETClassifier"

Example = tuple[str, str]


def examples(language: str) -> list[Example]:
    found: list[Example] = []
    for path in sorted((ROOT / "data" / f"nlu_{language}").glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" not in item:
                continue
            for line in item["examples"].splitlines():
                if line.strip().startswith("- "):
                    found.append((line.strip()[2:].strip(), item["intent"]))
    return found


def folds(data: list[Example], k: int, seed: int = 42) -> list[list[Example]]:
    """k stratified folds: each label's examples dealt round-robin after a seeded shuffle."""
    by_label: dict[str, list[Example]] = defaultdict(list)
    for example in data:
        by_label[example[1]].append(example)
    rng = random.Random(seed)
    parts: list[list[Example]] = [[] for _ in range(k)]
    offset = 0
    for name in sorted(by_label):
        items = by_label[name]
        rng.shuffle(items)
        for index, example in enumerate(items):
            parts[(index + offset) % k].append(example)
        offset += len(items)
    return parts


def candidate_config(name: str, production: dict[str, Any]) -> dict[str, Any]:
    config = copy.deepcopy(production)
    pipeline = config["pipeline"]
    first = next(i for i, c in enumerate(pipeline) if c["name"] == FIRST_LEARNER)
    config["pipeline"] = copy.deepcopy(CANDIDATES[name][1]) + pipeline[first:]
    config.pop("policies", None)
    return config


def write_nlu(path: Path, data: list[Example]) -> None:
    grouped: dict[str, list[str]] = defaultdict(list)
    for text, intent in data:
        grouped[intent].append(text)
    body = ['version: "3.1"', "nlu:"]
    for intent, texts in grouped.items():
        body.append(f"  - intent: {intent}\n    examples: |")
        body += [f"      - {text}" for text in texts]
    path.write_text("\n".join(body) + "\n", encoding="utf-8")


def run_fold(
    config: dict[str, Any], train: list[Example], test: list[Example]
) -> tuple[list[tuple[str, str]], float]:
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "config.yml").write_text(
            yaml.safe_dump(config, allow_unicode=True), encoding="utf-8"
        )
        write_nlu(work / "nlu.yml", train)
        started = time.monotonic()
        model = train_nlu(
            str(work / "config.yml"),
            str(work / "nlu.yml"),
            str(work / "models"),
            domain=str(ROOT / "bot" / "domain"),
        )
        seconds = time.monotonic() - started
        agent = Agent.load(model)

        async def parse_all() -> list[str]:
            return [label(await agent.parse_message(text)) for text, _ in test]

        predicted = asyncio.run(parse_all())
    return [(intent, got) for (_, intent), got in zip(test, predicted, strict=True)], seconds


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--languages", nargs="+", default=["fi", "sv"])
    parser.add_argument(
        "--pipelines", nargs="+", default=list(CANDIDATES), choices=list(CANDIDATES)
    )
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

    # Read once: editing bot/config.yml during a long run must not change the candidates midway.
    production = yaml.safe_load((ROOT / "bot" / "config.yml").read_text(encoding="utf-8"))
    lines = ["# NLU pipelines compared by cross-validation", ""]
    for language in args.languages:
        data = examples(language)
        parts = folds(data, args.folds)
        labels = len({intent for _, intent in data})
        lines += [
            f"## {language}: {len(data)} examples, {labels} intents and FAQ topics, "
            f"{args.folds}-fold cross-validation",
            "",
            "| pipeline | macro-F1 | accuracy | weakest label (F1) | training time per fold |",
            "| --- | ---: | ---: | --- | ---: |",
        ]
        for name in args.pipelines:
            config = candidate_config(name, production)
            macro_scores, accuracies, seconds = [], [], []
            per_label: dict[str, list[float]] = defaultdict(list)
            for index, test in enumerate(parts):
                train = [e for i, part in enumerate(parts) if i != index for e in part]
                pairs, took = run_fold(config, train, test)
                table = scores(pairs)
                macro_scores.append(sum(r["f1"] for r in table.values()) / len(table))
                accuracies.append(sum(e == g for e, g in pairs) / len(pairs))
                seconds.append(took)
                for intent, row in table.items():
                    per_label[intent].append(row["f1"])
                print(
                    f"{language} {name} fold {index + 1}/{args.folds}: "
                    f"macro-F1 {macro_scores[-1]:.3f}, {took:.0f} s",
                    flush=True,
                )
            weakest = min(per_label, key=lambda i: sum(per_label[i]) / len(per_label[i]))
            weakest_f1 = sum(per_label[weakest]) / len(per_label[weakest])
            lines.append(
                f"| {name}: {CANDIDATES[name][0]} | {sum(macro_scores) / len(macro_scores):.3f}"
                f" | {sum(accuracies) / len(accuracies):.3f} | {weakest} ({weakest_f1:.2f})"
                f" | {sum(seconds) / len(seconds):.0f} s |"
            )
        lines.append("")
    text = "\n".join(lines)
    print(text)
    out = ROOT / "var" / "reports" / "nlu-compare.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
