"""Labels of a message beyond its intent, learned from training examples that carry them as
metadata: the service area of a concern (`service_area`) and the kind of a crisis (`crisis_kind`).

In data/nlu_<lang>/*.yml a block of examples carries its label as intent metadata:

    - intent: concern
      metadata:
        service_area: elderly
      examples: |
        - äiti on 86 eikä pärjää enää yksin kotona

Each label is one logistic regression over the same TF-IDF character n-grams as the intent
classifier (lower-cased, accents folded). Every message gets each label's probabilities as
`neuvo_labels` ({label: {value: probability}}); the NeedExtractor and the SafetyLayer decide what
to make of them, with the curated terms as a backstop.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

import joblib
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from bot.components.lexicon import fold

logger = logging.getLogger(__name__)
MODEL_FILE = "label_classifier.joblib"
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


def label_model(c: float) -> Pipeline:
    return Pipeline(
        [
            (
                "ngrams",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(2, 5), preprocessor=fold, sublinear_tf=True
                ),
            ),
            (
                "classifier",
                LogisticRegression(C=c, class_weight="balanced", max_iter=5000),
            ),
        ]
    )


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LabelClassifier(GraphComponent):
    """Predicts the labels named in its config from the examples that carry them."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"labels": ["service_area", "crisis_kind"], "C": 10.0}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        models: dict[str, Pipeline] | None = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._models = models or {}

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """This file's source: Rasa's training cache must not reuse a model trained by old code."""
        return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LabelClassifier:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LabelClassifier:
        try:
            with model_storage.read_from(resource) as directory:
                models = joblib.load(Path(directory) / MODEL_FILE)
        except ValueError:
            logger.warning("LabelClassifier found no trained model; it predicts nothing.")
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, models)

    def train(self, training_data: TrainingData) -> Resource:
        models: dict[str, Pipeline] = {}
        for label in self.config["labels"]:
            texts, values = labelled(training_data, label)
            if len(set(values)) < 2:
                logger.warning("LabelClassifier: fewer than two values of %s; not trained.", label)
                continue
            model = label_model(float(self.config["C"]))
            model.fit(texts, values)
            models[label] = model
        self._models = models
        with self._model_storage.write_to(self._resource) as directory:
            joblib.dump(models, Path(directory) / MODEL_FILE)
        return self._resource

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
