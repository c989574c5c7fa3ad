"""Neuvo's Rasa NLU components: the safety layer and the need extractor (config: bot/config.yml)."""

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

from bot.components.need_rules import NeedRules
from bot.components.safety_rules import SafetyRules
from bot.components.short_replies import ShortReplies

SEVERITY = {"emergency": 3, "crisis": 2}


def _entity(entity: str, value: str, start: int, end: int, extractor: str) -> dict[str, Any]:
    return {
        "entity": entity,
        "value": value,
        "start": start,
        "end": end,
        "confidence_entity": 1.0,
        "extractor": extractor,
    }


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


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyLayer(RuleComponent):
    """Overrides the predicted intent with `emergency` or `crisis` when curated terms say so.

    Runs after the statistical classifiers, so that a model error never hides an emergency or
    a crisis; it never lowers the urgency the model predicted.
    """

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self._rules: SafetyRules | None = None
        self._escalate_at = float(self.config["escalation_threshold"])
        self._confident_at = float(self.config["confident_threshold"])

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # When the model is unsure (its top intent is the fallback or below
            # confident_threshold), an emergency or a crisis it ranked at escalation_threshold or
            # more is chosen: in doubt, the resident gets the safety answer, not a generic one.
            "escalation_threshold": 0.25,
            "confident_threshold": 0.6,
            # ... but only for a message of at least this many words: on one or two words
            # ("pojanpoikaani", an answer to "whom does it concern?") the model's ranking is noise,
            # and the curated terms still catch "apua!" or "hjälp".
            "escalation_min_words": 3,
            # A crisis of this kind is left to the FAQ answer the model chose confidently: asking
            # where to get help for violence gets the answer on Nollalinja (which also gives 112
            # and offers a worker). Violence happening now is an emergency and always escalates;
            # so does every mental-health crisis.
            "crisis_answered_by_faq": {"violence": "faq/violence_helpline"},
        }

    @property
    def rules(self) -> SafetyRules:
        if self._rules is None:
            self._rules = SafetyRules()
        return self._rules

    def _process(self, message: Message, text: str) -> None:
        verdict = self.rules.assess(text)
        if self._answered_by_faq(message, verdict.urgency, verdict.crisis_kind):
            return
        if verdict.urgency == "none":
            escalated = self._unsure_safety_intent(message)
            if escalated:
                set_intent(message, escalated)
            return
        entities = list(message.get(ENTITIES) or [])
        first = verdict.hits[0]
        entities.append(_entity("urgency", verdict.urgency, first.start, first.end, "SafetyLayer"))
        if verdict.crisis_kind:
            entities.append(
                _entity("crisis_kind", verdict.crisis_kind, first.start, first.end, "SafetyLayer")
            )
        message.set(ENTITIES, entities, add_to_output=True)
        predicted = (message.get(INTENT) or {}).get("name") or ""
        if SEVERITY.get(predicted, 0) < SEVERITY[verdict.urgency]:
            set_intent(message, verdict.urgency)

    def _answered_by_faq(self, message: Message, urgency: str, kind: str | None) -> bool:
        topic = self.config["crisis_answered_by_faq"].get(kind or "")
        if urgency != "crisis" or topic is None:
            return False
        intent = message.get(INTENT) or {}
        if intent.get("name") != "faq" or intent.get("confidence", 0.0) < self._confident_at:
            return False
        return chosen_topic(message, "faq").get("intent_response_key") == topic

    def _unsure_safety_intent(self, message: Message) -> str | None:
        """An emergency or a crisis that the unsure model ranked high enough to escalate to."""
        intent = message.get(INTENT) or {}
        if intent.get("name") in SEVERITY:
            return None
        if len((message.get(TEXT) or "").split()) < int(self.config["escalation_min_words"]):
            return None
        unsure = intent.get("name") == "nlu_fallback" or intent.get("confidence", 0.0) < (
            self._confident_at
        )
        if not unsure:
            return None
        ranking = {
            other.get("name"): other.get("confidence", 0.0)
            for other in message.get(INTENT_RANKING_KEY) or []
        }
        candidates = [name for name in SEVERITY if ranking.get(name, 0.0) >= self._escalate_at]
        return max(candidates, key=lambda name: ranking[name]) if candidates else None


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
    """Entities municipality, service_area, concerns, age_hint and reference, by rules.

    Runs after the intent is final and leaves a frequently asked question without entities: a
    question about home care is not a matter about an older person, and must not fill the slots of
    a hand-off that may follow about someone else."""

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self._rules: NeedRules | None = None

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"skip_intents": ["faq"]}

    @property
    def rules(self) -> NeedRules:
        if self._rules is None:
            self._rules = NeedRules()
        return self._rules

    def _process(self, message: Message, text: str) -> None:
        if (message.get(INTENT) or {}).get("name") in self.config["skip_intents"]:
            return
        found = [
            _entity(item.entity, item.value, item.start, item.end, "NeedExtractor")
            for item in self.rules.extract(text)
        ]
        if found:
            message.set(ENTITIES, list(message.get(ENTITIES) or []) + found, add_to_output=True)
