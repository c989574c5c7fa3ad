"""Labels of a message beyond its intent, learned from training examples that carry them as
metadata: the service area of a concern (`service_area`) and the kind of a crisis (`crisis_kind`).

In data/nlu_<lang>/*.yml a block of examples carries its label as intent metadata:

    - intent: concern
      metadata:
        service_area: elderly
      examples: |
        - äiti on 86 eikä pärjää enää yksin kotona

Each label is one model of the intent classifier's kind (char_ngram_classifier). Every message gets
each label's probabilities as `neuvo_labels` ({label: {value: probability}}); the NeedExtractor
and the SafetyLayer decide what to make of them, with the curated terms as a backstop.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.pipeline import Pipeline

from bot.components.linear_classifier import char_ngram_classifier
from bot.components.saved_model import SavedModelComponent

logger = logging.getLogger(__name__)
LABELS_KEY = "neuvo_labels"


def example_label(example: Message, label: str) -> str | None:
    """The value of `label` in an example's metadata (the example's own, else its block's)."""
    metadata = example.get("metadata") or {}
    for level in ("example", "intent"):
        value = (metadata.get(level) or {}).get(label)
        if value:
            return str(value)
    return None


def labelled(training_data: TrainingData, label: str) -> tuple[list[str], list[str]]:
    """The texts and values of every training example that carries `label`."""
    texts: list[str] = []
    values: list[str] = []
    for example in training_data.intent_examples:
        value = example_label(example, label)
        if value and example.get(TEXT):
            texts.append(str(example.get(TEXT)))
            values.append(value)
    return texts, values


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LabelClassifier(SavedModelComponent):
    """Predicts the labels named in its config from the examples that carry them."""

    MODEL_FILE = "label_classifier.joblib"
    # its models are the intent classifier's kind (char_ngram_classifier)
    SOURCES = ("label_classifier.py", "linear_classifier.py")

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"labels": ["service_area", "crisis_kind"], "C": 10.0}

    def restore(self, saved: dict[str, Pipeline] | None) -> None:
        self._models: dict[str, Pipeline] = saved or {}

    def train(self, training_data: TrainingData) -> Resource:
        models: dict[str, Pipeline] = {}
        for label in self.config["labels"]:
            texts, values = labelled(training_data, label)
            if len(set(values)) < 2:
                logger.warning("LabelClassifier: fewer than two values of %s; not trained.", label)
                continue
            model = char_ngram_classifier(c=float(self.config["C"]))
            model.fit(texts, values)
            models[label] = model
        return self.save(models)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        texts = [m.get(TEXT) or "" for m in messages]
        readings: list[dict[str, dict[str, float]]] = [{} for _ in messages]
        for label, model in self._models.items():
            values = list(model.classes_)
            for reading, probabilities in zip(readings, model.predict_proba(texts), strict=True):
                reading[label] = {
                    value: float(p) for value, p in zip(values, probabilities, strict=True)
                }
        for message, text, reading in zip(messages, texts, readings, strict=True):
            if text and reading:
                message.set(LABELS_KEY, reading)
        return messages
