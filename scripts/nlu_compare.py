"""Cross-validated comparison of NLU pipelines, per language (docs/nlu-pipeline.md).

For each language, the training examples of data/nlu_<language>/ are split into k stratified folds
(by intent, FAQ topics counted as their own labels); each candidate pipeline is trained on k-1 folds
and scored on the one left out, k times. A candidate is what comes before the FallbackClassifier
(tokenisation, features, the classifiers of intent and FAQ topic) and the fallback threshold that
suits its confidences; the rest is the production pipeline of bot/config.yml (the fallback and
the rule components), so the candidates differ only where they are meant to. An unsure prediction
(fallback) counts as an error.

Prints, and writes to var/reports/nlu-compare.md, a table per language: macro-F1 and accuracy over
all intents and FAQ topics (mean of the folds), emergency and crisis recall (all folds), what 200
messages of random letters got (a safety answer, or another answer than a fallback), the weakest
label, and the training time.

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
from typing import Any, NamedTuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from nlu_report import SAFETY_INTENTS, label, macro_f1, scores  # noqa: E402

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
# DIET for the intent and a ResponseSelector for the FAQ topic, as production used them until
# 2026-11-23: no transformer layers, 60 and 40 epochs, the ResponseSelector at DIET's sizes.
DIET_LEARNERS: list[dict[str, Any]] = [
    {
        "name": "DIETClassifier",
        "epochs": 60,
        "number_of_transformer_layers": 0,
        "constrain_similarities": True,
        "entity_recognition": False,
        "random_seed": 42,
    },
    {
        "name": "ResponseSelector",
        "retrieval_intent": "faq",
        "epochs": 40,
        "dense_dimension": {"text": 128, "label": 20},
        "concat_dimension": {"text": 128, "label": 20},
        "constrain_similarities": True,
        "random_seed": 42,
    },
]
# The fallback and safety-layer thresholds production used with DIET.
DIET_SETTINGS: dict[str, dict[str, Any]] = {
    "FallbackClassifier": {"threshold": 0.5},
    "SafetyLayer": {"escalation_threshold": 0.25, "confident_threshold": 0.6},
}
# As in bot/config.yml (tests/bot/test_nlu_compare.py checks that production is this candidate).
LINEAR = {"name": "bot.components.linear_classifier.LinearIntentClassifier", "C": 100.0}


class Candidate(NamedTuple):
    description: str
    learners: list[dict[str, Any]]  # everything before the FallbackClassifier
    # Settings of the later components that suit the candidate's confidences, by component name
    # (the last part of it): the FallbackClassifier's threshold, the SafetyLayer's thresholds.
    settings: dict[str, dict[str, Any]]


# What differs between the candidates is everything before the FallbackClassifier (tokenisation,
# features, classifiers) and the settings above; the rest is production's pipeline.
CANDIDATES: dict[str, Candidate] = {
    "char": Candidate(
        "DIET + ResponseSelector; whitespace tokens, character n-grams (char_wb 2–5) only",
        [{"name": "WhitespaceTokenizer"}, CHAR_NGRAMS, *DIET_LEARNERS],
        DIET_SETTINGS,
    ),
    "words_char": Candidate(
        "DIET + ResponseSelector; whitespace tokens, regex and lexical-syntactic features, "
        "word counts, char n-grams 2–5",
        [{"name": "WhitespaceTokenizer"}, *WORD_FEATURES, *DIET_LEARNERS],
        DIET_SETTINGS,
    ),
    "stems_char": Candidate(
        "DIET + ResponseSelector; spaCy tokens with folded 6-character stems as lemmas, regex "
        "and lexical-syntactic features, stem counts, char n-grams 2–5",
        [{"name": "bot.components.tokenizer.StemmingTokenizer"}, *WORD_FEATURES, *DIET_LEARNERS],
        DIET_SETTINGS,
    ),
    "linear": Candidate(
        "one logistic regression over every intent and FAQ topic; TF-IDF of char_wb 2–5 "
        "n-grams of the lower-cased, accent-folded text (fallback threshold 0.4, production since "
        "issue 15)",
        [LINEAR],
        {"FallbackClassifier": {"threshold": 0.4}},
    ),
    "linear_t05": Candidate(
        "as linear, with the fallback threshold 0.5 (production until issue 15)",
        [LINEAR],
        {"FallbackClassifier": {"threshold": 0.5}},
    ),
    "linear_c20": Candidate(
        "as linear, with stronger regularisation (C = 20)",
        [{**LINEAR, "C": 20.0}],
        {"FallbackClassifier": {"threshold": 0.5}},
    ),
}
FALLBACK = "FallbackClassifier"

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


def candidate_config(
    name: str, production: dict[str, Any], extra: dict[str, dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Production's pipeline with the candidate's learners and settings (and `extra` settings)."""
    config = copy.deepcopy(production)
    pipeline = config["pipeline"]
    first = next(i for i, c in enumerate(pipeline) if c["name"] == FALLBACK)
    candidate = CANDIDATES[name]
    rest = pipeline[first:]
    for settings in (candidate.settings, extra or {}):
        for component, values in settings.items():
            matches = [c for c in rest if c["name"].rsplit(".", 1)[-1] == component]
            if not matches:
                raise SystemExit(f"error: no component {component} after the classifiers")
            matches[0].update(values)
    config["pipeline"] = copy.deepcopy(candidate.learners) + rest
    config.pop("policies", None)
    return config


def parse_settings(items: list[str]) -> dict[str, dict[str, Any]]:
    """`Component.key=value` (value as YAML) into {component: {key: value}}."""
    settings: dict[str, dict[str, Any]] = defaultdict(dict)
    for item in items:
        target, sep, value = item.partition("=")
        component, dot, key = target.partition(".")
        if not sep or not dot or not component or not key:
            raise SystemExit(f"error: --set {item!r}: expected Component.key=value")
        settings[component][key] = yaml.safe_load(value)
    return dict(settings)


def random_letters(count: int = 200, seed: int = 7) -> list[str]:
    """Messages of 3–6 random "words": none should get an emergency or crisis answer, and few
    any answer but "please rephrase" (or "I cannot help with that")."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyzäöå"
    return [
        " ".join(
            "".join(rng.choice(letters) for _ in range(rng.randint(2, 8)))
            for _ in range(rng.randint(3, 6))
        )
        for _ in range(count)
    ]


def noise_answers(predicted: list[str]) -> tuple[float, float]:
    """Shares of random letters that got a safety answer, and that got some other answer."""
    safety = sum(got in SAFETY_INTENTS for got in predicted)
    other = sum(got not in (*SAFETY_INTENTS, "nlu_fallback", "out_of_scope") for got in predicted)
    return safety / len(predicted), other / len(predicted)


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
    config: dict[str, Any], train: list[Example], test: list[Example], noise: list[str]
) -> tuple[list[tuple[str, str]], list[str], float]:
    """(expected, predicted) for `test`, the predictions for `noise`, and the training time."""
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

        async def parse_all(texts: list[str]) -> list[str]:
            return [label(await agent.parse_message(text)) for text in texts]

        predicted = asyncio.run(parse_all([text for text, _ in test]))
        noise_predicted = asyncio.run(parse_all(noise))
    pairs = [(intent, got) for (_, intent), got in zip(test, predicted, strict=True)]
    return pairs, noise_predicted, seconds


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--languages", nargs="+", default=["fi", "sv"])
    parser.add_argument(
        "--pipelines", nargs="+", default=list(CANDIDATES), choices=list(CANDIDATES)
    )
    parser.add_argument(
        "--set",
        nargs="*",
        default=[],
        metavar="COMPONENT.KEY=VALUE",
        help="change a later component's setting for every candidate, e.g. "
        "SafetyLayer.escalation_threshold=0.15",
    )
    args = parser.parse_args()
    extra = parse_settings(args.set)
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
            "| pipeline | macro-F1 | accuracy | emergency / crisis recall "
            "| random letters: safety / other answer | weakest label (F1) "
            "| training time per fold |",
            "| --- | ---: | ---: | ---: | ---: | --- | ---: |",
        ]
        for name in args.pipelines:
            config = candidate_config(name, production, extra)
            macro_scores, accuracies, seconds = [], [], []
            pooled: list[tuple[str, str]] = []
            noise_predicted: list[str] = []
            per_label: dict[str, list[float]] = defaultdict(list)
            for index, test in enumerate(parts):
                train = [e for i, part in enumerate(parts) if i != index for e in part]
                pairs, noise, took = run_fold(config, train, test, random_letters())
                pooled += pairs
                noise_predicted += noise
                table = scores(pairs)
                macro_scores.append(macro_f1(table))
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
            pooled_scores = scores(pooled)
            safety = " / ".join(
                f"{pooled_scores[i]['recall']:.3f}" if i in pooled_scores else "–"
                for i in SAFETY_INTENTS
            )
            changed = f" ({', '.join(args.set)})" if args.set else ""
            noise_safety, noise_other = noise_answers(noise_predicted)
            lines.append(
                f"| {name}: {CANDIDATES[name].description}{changed}"
                f" | {sum(macro_scores) / len(macro_scores):.3f}"
                f" | {sum(accuracies) / len(accuracies):.3f} | {safety}"
                f" | {noise_safety:.1%} / {noise_other:.1%}"
                f" | {weakest} ({weakest_f1:.2f}) | {sum(seconds) / len(seconds):.0f} s |"
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
