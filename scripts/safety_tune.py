"""Cross-validated choice of the SafetyLayer's thresholds (bot/config.yml), on training data only.

The training examples of data/nlu_fi and data/nlu_sv (one model, as in production) are split into k
stratified folds; for each fold the intent model (the LinearIntentClassifier's TF-IDF character
n-grams and logistic regression, with the FallbackClassifier's threshold) and the crisis-kind model
are trained on the rest, and each left-out example is read as the SafetyLayer reads it
(bot/safety/decision.py, with the curated terms of bot/lexicon/safety.yml). For each combination of
thresholds it prints, per language: emergency recall (the 112 answer), crisis recall (the crisis or
112 answer), the share of ordinary examples sent to 112 or a crisis line, and the share of 300
random-letter messages that got a safety answer. Writes the same to var/reports/safety-tune.md.

    .venv-bot/bin/python scripts/safety_tune.py [--folds 5]

Not part of the test command: run it when the safety data, terms or decision change.
"""

from __future__ import annotations

import argparse
import itertools
import logging
import random
import string
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.components.label_classifier import example_label  # noqa: E402
from bot.components.lexicon import Lexicon  # noqa: E402
from bot.components.linear_classifier import char_ngram_classifier, part_readings  # noqa: E402
from bot.safety.clauses import clauses, sentences  # noqa: E402
from bot.safety.decision import (  # noqa: E402
    SAFETY_INTENTS,
    ModelReading,
    SentenceReading,
    Thresholds,
    decide,
)

FALLBACK = 0.4
AMBIGUITY = 0.1
SENTENCE = (0.4, 0.5, 0.6)
SUPPORT = (0.15, 0.25, 0.35)
ESCALATION = (0.15, 0.25, 0.35, 0.5, 1.01)  # 1.01: never escalate an unsure reading
CONFIDENT = (0.8,)


def load(language: str) -> list[tuple[str, str, str | None, str]]:
    """(text, label, crisis kind, language) of every training example of one language."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(ROOT / "data" / f"nlu_{language}"))
    rows = []
    for example in data.intent_examples:
        text = example.get("text")
        label = example.get("intent_response_key") or example.get("intent")
        rows.append((str(text), str(label), example_label(example, "crisis_kind"), language))
    return rows


def readings(model, kind_model, texts: list[str]) -> list[ModelReading]:  # type: ignore[no-untyped-def]
    """What the pipeline up to the SafetyLayer makes of each text (intent model and fallback)."""
    labels = list(model.classes_)
    whole = model.predict_proba(texts)
    kinds = kind_model.predict_proba(texts)
    split = [(sentences(t), clauses(t)) for t in texts]

    def read(parts):  # type: ignore[no-untyped-def]
        if len(parts) < 2:
            return []
        return [SentenceReading.of(part) for part in part_readings(model, parts)]

    result = []
    for p, k, (sents, cls) in zip(whole, kinds, split, strict=True):
        intents: dict[str, float] = {}
        for name, probability in zip(labels, p.tolist(), strict=True):
            intent = name.split("/", 1)[0]
            intents[intent] = intents.get(intent, 0.0) + probability
        best = labels[int(np.argmax(p))]
        intent = best.split("/", 1)[0]
        ranked = sorted(intents.values(), reverse=True)
        confidence = intents[intent]
        if confidence < FALLBACK or (len(ranked) > 1 and ranked[0] - ranked[1] < AMBIGUITY):
            intents["nlu_fallback"] = FALLBACK
            intent, confidence = "nlu_fallback", FALLBACK
        sentence_read = read(sents)
        clause_read = read(cls)
        result.append(
            ModelReading(
                intent=intent,
                confidence=confidence,
                ranking=intents,
                sentences=sentence_read,
                clauses=clause_read,
                crisis_kind={v: float(x) for v, x in zip(kind_model.classes_, k, strict=True)},
                topic=best if intent == "faq" else None,
            )
        )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument(
        "--show",
        nargs=3,
        type=float,
        metavar=("SENTENCE", "SUPPORT", "ESCALATION"),
        help="also list the mistakes of this combination",
    )
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    from sklearn.model_selection import StratifiedKFold

    rows = load("fi") + load("sv")
    lexicon = Lexicon.from_file("safety.yml")
    found = [lexicon.categories(text) for text, *_ in rows]
    y = [label for _, label, _, _ in rows]
    counts = Counter(y)
    strata = [label if counts[label] >= args.folds else "rare" for label in y]
    read_rows: list[ModelReading | None] = [None] * len(rows)
    rng = random.Random(7)
    noise = [
        "".join(rng.choice(string.ascii_lowercase + "äö  ") for _ in range(rng.randint(8, 40)))
        for _ in range(300)
    ]
    noise_readings: list[ModelReading] = []
    for fold_index, (train, test) in enumerate(
        StratifiedKFold(n_splits=args.folds, shuffle=True, random_state=7).split(rows, strata)
    ):
        model = char_ngram_classifier(c=100.0)  # as bot/config.yml
        model.fit([rows[i][0] for i in train], [y[i] for i in train])
        kind_rows = [i for i in train if rows[i][2]]
        kind_model = char_ngram_classifier(c=10.0)  # as bot/config.yml
        kind_model.fit([rows[i][0] for i in kind_rows], [rows[i][2] for i in kind_rows])
        read = readings(model, kind_model, [rows[i][0] for i in test])
        for i, reading in zip(test, read, strict=True):
            read_rows[i] = reading
        if fold_index == 0:
            noise_readings = readings(model, kind_model, noise)
        print(f"fold {fold_index + 1}/{args.folds} read", file=sys.stderr)
    noise_found = [lexicon.categories(text) for text in noise]
    lines = ["# Safety thresholds, cross-validated on the training data", ""]
    mistakes: list[str] = []
    header = (
        "| language | sentence | support | escalation | emergency recall | crisis recall |"
        " ordinary → safety | random letters → safety |"
    )
    lines += [header, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for sentence, support, escalation, confident in itertools.product(
        SENTENCE, SUPPORT, ESCALATION, CONFIDENT
    ):
        thresholds = Thresholds(
            sentence=sentence,
            support=support,
            escalation=escalation,
            confident=confident,
            min_words=3,
            concern=0.1,
            answered_by_faq={"violence": "faq/violence_helpline"},
        )
        for language in ("fi", "sv"):
            em = [0, 0]
            cr = [0, 0]
            ordinary = [0, 0]
            for (text, label, _, lang), hits, read in zip(rows, found, read_rows, strict=True):
                if lang != language or read is None:
                    continue
                verdict = decide(text=text, found=hits, model=read, thresholds=thresholds)
                gold = label.split("/", 1)[0]
                if gold == "emergency":
                    em[1] += 1
                    right = verdict.urgency == "emergency"
                    em[0] += right
                elif gold == "crisis":
                    cr[1] += 1
                    right = verdict.urgency in SAFETY_INTENTS
                    cr[0] += right
                else:
                    ordinary[1] += 1
                    right = verdict.urgency not in SAFETY_INTENTS
                    ordinary[0] += not right
                if not right and args.show and (sentence, support, escalation) == tuple(args.show):
                    mistakes.append(f"- {language} {label}: `{text}` → {verdict.urgency}")
            random_hits = sum(
                decide(text=t, found=h, model=r, thresholds=thresholds).urgency in SAFETY_INTENTS
                for t, h, r in zip(noise, noise_found, noise_readings, strict=True)
            )
            shown = "off" if escalation > 1 else f"{escalation:.2f}"
            lines.append(
                f"| {language} | {sentence:.2f} | {support:.2f} | {shown} | "
                f"{em[0]}/{em[1]} ({em[0] / em[1]:.1%}) | "
                f"{cr[0]}/{cr[1]} ({cr[0] / cr[1]:.1%}) | {ordinary[0]}/{ordinary[1]} "
                f"({ordinary[0] / ordinary[1]:.2%}) | {random_hits}/300 |"
            )
    lines += ["", "Mistakes:", "", *mistakes]
    text = "\n".join(lines)
    print(text)
    out = ROOT / "var" / "reports" / "safety-tune.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
