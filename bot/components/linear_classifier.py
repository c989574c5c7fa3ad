"""Intent and FAQ topic in one linear model: TF-IDF character n-grams and logistic regression.

Every intent and every topic of a retrieval intent (`faq/<topic>`) is one label of the same
classifier, so a common question and a concern compete directly rather than in two stages. The
message is lower-cased and its accents folded ("missa" = "missä"), and the features are character
n-grams within words (char_wb), which share most of their n-grams across Finnish case endings,
Swedish definite forms and typos.

What Rasa's other components and actions read is set as DIETClassifier and ResponseSelector set it:
- `intent` and `intent_ranking`: a retrieval intent's confidence is the sum of its topics'
  probabilities (the FallbackClassifier and the SafetyLayer read these);
- `response_selector[<retrieval intent>]`: the most probable topic and its probability given the
  retrieval intent (UnsureTopicFallback, ActionRetrieveResponse and actions/faq.py read it).

Chosen over DIET with a ResponseSelector by cross-validation (docs/nlu-pipeline.md): it scores
higher in both languages and trains in seconds instead of minutes.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_RANKING_KEY,
    INTENT_RESPONSE_KEY,
    RESPONSE_SELECTOR,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from bot.components.lexicon import fold
from bot.components.saved_model import SavedModelComponent
from bot.safety.clauses import Span, clauses, sentences

logger = logging.getLogger(__name__)
RETRIEVAL_INTENTS_KEY = "all_retrieval_intents"
# Each sentence of a message of several sentences, read on its own: a danger in the last line of a
# long message, or a common question next to a request for contact (bot/safety, actions/).
SENTENCES_KEY = "neuvo_sentences"
# Each clause of a message of several clauses: where in a sentence the danger the model reads is,
# so that "pahoinpiteli mua viis vuotta sitten, nyt oon onnellinen" is read as past (bot/safety).
CLAUSES_KEY = "neuvo_clauses"


def char_ngram_classifier(
    *,
    c: float,
    class_weight: str | None = "balanced",
    max_iter: int = 5000,
    ngram_range: tuple[int, int] = (2, 5),
) -> Pipeline:
    """TF-IDF of the character n-grams within words of the lower-cased, accent-folded text, and a
    logistic regression: the intent model, and the LabelClassifier's model of each label."""
    return Pipeline(
        [
            (
                "ngrams",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=ngram_range,
                    preprocessor=fold,
                    sublinear_tf=True,
                ),
            ),
            (
                "classifier",
                LogisticRegression(C=c, class_weight=class_weight, max_iter=max_iter),
            ),
        ]
    )


def part_readings(model: Pipeline, parts: list[Span]) -> list[dict[str, Any]]:
    """Each part's most probable label and its emergency and crisis probabilities."""
    labels = list(model.classes_)
    emergency = labels.index("emergency") if "emergency" in labels else None
    crisis = labels.index("crisis") if "crisis" in labels else None
    read = []
    for part, p in zip(parts, model.predict_proba([s.text for s in parts]), strict=True):
        best = int(np.argmax(p))
        read.append(
            {
                "start": part.start,
                "end": part.end,
                "label": labels[best],
                "confidence": float(p[best]),
                "emergency": float(p[emergency]) if emergency is not None else 0.0,
                "crisis": float(p[crisis]) if crisis is not None else 0.0,
            }
        )
    return read


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LinearIntentClassifier(SavedModelComponent):
    """Predicts the intent, and for a retrieval intent its topic, from character n-grams."""

    MODEL_FILE = "linear_classifier.joblib"
    SOURCES = ("linear_classifier.py",)

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "min_ngram": 2,
            "max_ngram": 5,
            # Inverse regularisation strength of the logistic regression.
            "C": 100.0,
            # Every label weighs the same however many examples it has.
            "class_weight": "balanced",
            "max_iter": 5000,
            # How many intents and topics the rankings list.
            "ranking_length": 10,
        }

    def restore(self, saved: dict[str, Any] | None) -> None:
        self._model: Pipeline | None = (saved or {}).get("model")
        self._retrieval_intents: list[str] = (saved or {}).get("retrieval_intents") or []

    @staticmethod
    def label_of(example: Message) -> str:
        """The label an example trains: its intent, or `<retrieval intent>/<topic>`."""
        return str(example.get(INTENT_RESPONSE_KEY) or example.get(INTENT))

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(TEXT)]
        labels = [self.label_of(e) for e in examples]
        if len(set(labels)) < 2:
            logger.warning("LinearIntentClassifier needs at least two intents; nothing trained.")
            return self._resource
        model = char_ngram_classifier(
            c=float(self.config["C"]),
            class_weight=self.config["class_weight"],
            max_iter=int(self.config["max_iter"]),
            ngram_range=(int(self.config["min_ngram"]), int(self.config["max_ngram"])),
        )
        model.fit([e.get(TEXT) for e in examples], labels)
        retrieval_intents = sorted(
            {str(e.get(INTENT)) for e in examples if e.get(INTENT_RESPONSE_KEY)}
        )
        return self.save({"model": model, "retrieval_intents": retrieval_intents})

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        if self._model is None:
            return messages
        texts = [m.get(TEXT) or "" for m in messages]
        labels = list(self._model.classes_)
        for message, text, probabilities in zip(
            messages, texts, self._model.predict_proba(texts), strict=True
        ):
            if text:
                self._set_prediction(message, labels, probabilities)
                self._set_sentences(message, text)
        return messages

    def _set_sentences(self, message: Message, text: str) -> None:
        """Each sentence's and each clause's reading, for a message of several."""
        assert self._model is not None
        for key, parts in ((SENTENCES_KEY, sentences(text)), (CLAUSES_KEY, clauses(text))):
            if len(parts) >= 2:
                message.set(key, part_readings(self._model, parts), add_to_output=True)

    def _set_prediction(self, message: Message, labels: list[str], p: np.ndarray) -> None:
        length = int(self.config["ranking_length"])
        intents: dict[str, float] = {}
        topics: dict[str, list[tuple[str, float]]] = {name: [] for name in self._retrieval_intents}
        for name, probability in zip(labels, p.tolist(), strict=True):
            intent = name.split("/", 1)[0]
            intents[intent] = intents.get(intent, 0.0) + probability
            if intent in topics:
                topics[intent].append((name, probability))
        best = labels[int(np.argmax(p))]
        # The single most probable label decides, not the summed retrieval intent: many unlikely
        # topics must not add up to outvote the one intent the message most resembles.
        chosen = best.split("/", 1)[0]
        ranking = sorted(intents.items(), key=lambda item: item[1], reverse=True)
        message.set(INTENT, {"name": chosen, "confidence": intents[chosen]}, add_to_output=True)
        message.set(
            INTENT_RANKING_KEY,
            [{"name": n, "confidence": c} for n, c in ranking[:length]],
            add_to_output=True,
        )
        selectors = dict(message.get(RESPONSE_SELECTOR) or {})
        selectors[RETRIEVAL_INTENTS_KEY] = list(self._retrieval_intents)
        for retrieval_intent, candidates in topics.items():
            total = intents[retrieval_intent] or 1.0
            candidates.sort(key=lambda item: item[1], reverse=True)
            top, probability = candidates[0]
            selectors[retrieval_intent] = {
                "response": {
                    "responses": [],
                    "confidence": probability / total,
                    INTENT_RESPONSE_KEY: top,
                    "utter_action": f"utter_{top}",
                },
                "ranking": [
                    {"id": index, "confidence": c / total, INTENT_RESPONSE_KEY: name}
                    for index, (name, c) in enumerate(candidates[:length])
                ],
            }
        message.set(RESPONSE_SELECTOR, selectors, add_to_output=True)
