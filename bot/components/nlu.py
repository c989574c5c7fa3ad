"""Neuvo's Rasa NLU components: the safety layer, the need extractor and the short-reply and
unsure-topic rules (config: bot/config.yml)."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_RANKING_KEY,
    RESPONSE_SELECTOR,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.label_classifier import LABELS_KEY
from bot.components.lexicon import Lexicon
from bot.components.linear_classifier import CLAUSES_KEY, SENTENCES_KEY
from bot.components.need_rules import AreaThresholds, NeedRules
from bot.components.short_replies import ShortReplies
from bot.safety.decision import ModelReading, SentenceReading, Thresholds, decide


def _entity(entity: str, value: str, start: int, end: int, extractor: str) -> dict[str, Any]:
    return {
        "entity": entity,
        "value": value,
        "start": start,
        "end": end,
        "confidence_entity": 1.0,
        "extractor": extractor,
    }


# What a common question tells of the need (municipality, service area of its topic, whom, age,
# urgency), beside the intent rather than as entities.
NEED_KEY = "neuvo_need"
# What a message tells of the resident themself (being contacted), also in a common question.
RESIDENT_ENTITIES = frozenset(
    {"phone", "contact_time", "contact_name", "contact_request", "resume", "decline", "unsure"}
)


def set_intent(message: Message, name: str, confidence: float = 1.0) -> None:
    """Make `name` the message's intent, first in the ranking."""
    intent = {"name": name, "confidence": confidence}
    ranking = [intent] + [
        other for other in message.get(INTENT_RANKING_KEY) or [] if other.get("name") != name
    ]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)


def chosen_topic(message: Message, retrieval_intent: str) -> dict[str, Any]:
    """The ResponseSelector's choice for `retrieval_intent` (intent_response_key, confidence…)."""
    selected = (message.get(RESPONSE_SELECTOR) or {}).get(retrieval_intent) or {}
    return dict(selected.get("response") or {})


class RuleComponent(GraphComponent):
    """A component that learns nothing: it applies rules to each typed message (not payloads)."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = {**self.get_default_config(), **config}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RuleComponent:
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if text and not text.startswith("/"):
                self._process(message, text)
        return messages

    def _process(self, message: Message, text: str) -> None:
        raise NotImplementedError


def model_reading(message: Message) -> ModelReading:
    """What the statistical components made of a message, for the safety decision."""
    intent = message.get(INTENT) or {}
    name = str(intent.get("name") or "nlu_fallback")
    return ModelReading(
        intent=name,
        confidence=float(intent.get("confidence") or 0.0),
        ranking={
            str(other.get("name")): float(other.get("confidence") or 0.0)
            for other in message.get(INTENT_RANKING_KEY) or []
        },
        sentences=[SentenceReading.of(part) for part in message.get(SENTENCES_KEY) or []],
        clauses=[SentenceReading.of(part) for part in message.get(CLAUSES_KEY) or []],
        crisis_kind=dict((message.get(LABELS_KEY) or {}).get("crisis_kind") or {}),
        topic=chosen_topic(message, "faq").get("intent_response_key") if name == "faq" else None,
    )


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyLayer(RuleComponent):
    """The last word on the intent and the urgency of every typed message (bot/safety/decision.py):
    a danger in any sentence about now gets `emergency` or `crisis` whatever the model predicted; a
    danger told of the past, of a programme or denied does not. Sets the `urgency` entity (concern,
    crisis, emergency; none is no entity) and, for a danger, `crisis_kind`; a common question gets
    its urgency in `neuvo_need` instead."""

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self._thresholds = Thresholds.from_settings(self.config)
        self._lexicon: Lexicon | None = None

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}  # every setting is in bot/config.yml, in one place

    @property
    def lexicon(self) -> Lexicon:
        if self._lexicon is None:
            self._lexicon = Lexicon.from_file("safety.yml")
        return self._lexicon

    def _process(self, message: Message, text: str) -> None:
        entities = list(message.get(ENTITIES) or [])
        names = {entity.get("entity") for entity in entities}
        model = model_reading(message)
        verdict = decide(
            text=text,
            found=self.lexicon.categories(text),
            model=model,
            thresholds=self._thresholds,
            person_in_need={"concerns", "service_area"} <= names,
        )
        if verdict.intent != model.intent:
            confidence = (
                1.0
                if verdict.urgency in ("emergency", "crisis")
                else model.ranking.get(verdict.intent, 0.0)
            )
            set_intent(message, verdict.intent, confidence)
        if verdict.intent == "faq":
            reading = dict(message.get(NEED_KEY) or {})
            reading["urgency"] = verdict.urgency
            message.set(NEED_KEY, reading, add_to_output=True)
            return
        if verdict.urgency == "none":
            return  # no urgency entity: none
        start, end = verdict.where
        entities.append(_entity("urgency", verdict.urgency, start, end, "SafetyLayer"))
        if verdict.crisis_kind:
            entities.append(_entity("crisis_kind", verdict.crisis_kind, start, end, "SafetyLayer"))
        message.set(ENTITIES, entities, add_to_output=True)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ShortReplyClassifier(RuleComponent):
    """A message that is only a greeting, a farewell, thanks, yes or no (bot/lexicon/
    short_replies.yml) gets that intent for certain; the model is weakest on one or two words."""

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self._replies: ShortReplies | None = None

    @property
    def replies(self) -> ShortReplies:
        if self._replies is None:
            self._replies = ShortReplies()
        return self._replies

    def _process(self, message: Message, text: str) -> None:
        intent = self.replies.intent(text)
        if intent:
            set_intent(message, intent)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class UnsureTopicFallback(RuleComponent):
    """A frequently asked question whose topic the ResponseSelector is unsure of is not answered
    with a guess: the intent becomes `nlu_fallback` (the resident is asked to rephrase, and the
    SafetyLayer after it may still choose 112 or the crisis line)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"retrieval_intent": "faq", "threshold": 0.15}

    def _process(self, message: Message, text: str) -> None:
        intent = message.get(INTENT) or {}
        retrieval_intent = self.config["retrieval_intent"]
        if intent.get("name") != retrieval_intent:
            return
        threshold = float(self.config["threshold"])
        if chosen_topic(message, retrieval_intent).get("confidence", 0.0) < threshold:
            set_intent(message, "nlu_fallback", threshold)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class NeedExtractor(RuleComponent):
    """Entities of every typed message (bot/components/need_rules.py): municipality (role
    `hospital` when named only as where the person is cared for), service_area (role: `topic`,
    `model`, `terms` or `age`, what it rests on), concerns, age_hint, reference, and what it says
    about being contacted: phone, contact_time, contact_name, contact_request, resume."""

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self._rules: NeedRules | None = None
        self._thresholds = AreaThresholds(strong=float(self.config["area_strong_threshold"]))

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}  # every setting is in bot/config.yml

    @property
    def rules(self) -> NeedRules:
        if self._rules is None:
            self._rules = NeedRules()
        return self._rules

    def _process(self, message: Message, text: str) -> None:
        intent = str((message.get(INTENT) or {}).get("name") or "")
        topic = chosen_topic(message, "faq").get("intent_response_key") if intent == "faq" else None
        found = self.rules.extract(
            text,
            intent=intent,
            topic=topic,
            area_model=(message.get(LABELS_KEY) or {}).get("service_area"),
            thresholds=self._thresholds,
        )
        if intent == "faq":
            # A common question fills no need slot of a hand-off that may follow about someone
            # else; what it tells of the need is read by the triage and the actions from NEED_KEY.
            # What it says of contacting the resident (a number, a time, "call me") is theirs.
            reading: dict[str, str] = {}
            for item in found:
                if item.entity not in RESIDENT_ENTITIES:
                    reading.setdefault(item.entity, item.value)
            message.set(NEED_KEY, reading, add_to_output=True)
            # ... when the question is about being contacted (a number, "call me"): "mihin soitan
            # viikonloppuna" names no time to call the resident
            resident = [item for item in found if item.entity in RESIDENT_ENTITIES]
            about_contact = any(item.entity in ("phone", "contact_request") for item in resident)
            found = resident if about_contact else []
        entities = []
        for item in found:
            entity = _entity(item.entity, item.value, item.start, item.end, "NeedExtractor")
            if item.role:
                entity["role"] = item.role
            entities.append(entity)
        if entities:
            message.set(ENTITIES, list(message.get(ENTITIES) or []) + entities, add_to_output=True)
