"""Rasa's side of bot/dialogue/turns.py: a policy that reads the tracker into a `Turn` and, when
the decision is made there, predicts it with full confidence ahead of the rules.

Rasa lets an active form's "happy path" overrule every other policy (RulePolicy marks it as a
prediction that needs no user input); this policy's predictions are marked the same way and carry
a higher priority, so that danger, a stop or a common question reaches its action even in the
middle of a form.
"""

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction, SupportedData
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.dialogue.turns import Turn, next_action

FAQ = "faq"


def offered_contact(tracker: DialogueStateTracker) -> bool:
    """The bot's last message before the resident's latest one offered contact (`custom.offer`)."""
    seen_user = False
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            if seen_user:
                return False
            seen_user = True
        elif isinstance(event, BotUttered) and seen_user:
            custom = (event.data or {}).get("custom") or {}
            return isinstance(custom, dict) and custom.get("offer") == "contact"
    return False


def also_faq(parse_data: dict[str, Any], thresholds: tuple[float, float]) -> bool:
    """The message also asks a common question: it has a question mark, `faq` has at least the
    first threshold's probability and the chosen topic at least the second's."""
    ranking = {
        str(i.get("name")): float(i.get("confidence") or 0.0)
        for i in parse_data.get("intent_ranking") or []
    }
    topic = ((parse_data.get("response_selector") or {}).get(FAQ) or {}).get("response") or {}
    faq, sure = thresholds
    asks = "?" in str(parse_data.get("text") or "")
    return asks and ranking.get(FAQ, 0.0) >= faq and float(topic.get("confidence") or 0.0) >= sure


def turn_of(
    tracker: DialogueStateTracker,
    confident: float,
    also_faq_thresholds: tuple[float, float] = (1.1, 1.1),
) -> Turn:
    """The tracker as bot/dialogue/turns.py reads it."""
    message = tracker.latest_message
    parse_data: dict[str, Any] = message.parse_data if message else {}  # type: ignore[assignment]
    intent = str((parse_data.get("intent") or {}).get("name") or "")
    intent_confidence = float((parse_data.get("intent") or {}).get("confidence") or 0.0)
    # a common question's facts are in `neuvo_need`, not in entities (bot/components/nlu.py)
    entities = frozenset(
        [str(e.get("entity")) for e in parse_data.get("entities") or []]
        + list(parse_data.get("neuvo_need") or {})
    )
    return Turn(
        latest_action=tracker.latest_action_name or "",
        intent=intent,
        entities=entities,
        active_loop=tracker.active_loop_name,
        requested_slot=tracker.get_slot("requested_slot"),
        after_safety=tracker.get_slot("after_safety"),
        paused_form=tracker.get_slot("paused_form"),
        offered_contact=offered_contact(tracker),
        faq_confident=intent == FAQ and min(intent_confidence, 1.0) >= confident,
        affirm_sure=intent == "affirm" and intent_confidence >= confident,
        also_faq=also_faq(parse_data, also_faq_thresholds),
        whom=next(
            (
                str(e.get("value"))
                for e in parse_data.get("entities") or []
                if e.get("entity") == "concerns"
            ),
            None,
        ),
        faq_topic=str(
            ((parse_data.get("response_selector") or {}).get(FAQ) or {})
            .get("response", {})
            .get("intent_response_key")
            or ""
        ),
        ticket_reference=tracker.get_slot("ticket_reference"),
        text=str(parse_data.get("text") or ""),
    )


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT], is_trainable=True
)
class TurnPolicy(Policy):
    """Predicts bot/dialogue/turns.py's decision; abstains (all zeros) when there is none."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # above RulePolicy (6); `faq_confident` is the intent confidence a common question in the
        # middle of a form needs to be answered as one rather than taken as the form's answer
        return {
            "priority": 7,
            "faq_confident": 0.8,
            "also_faq": 0.25,
            "also_faq_topic": 0.5,
            "safety_topics": [],
        }

    @staticmethod
    def supported_data() -> SupportedData:
        return SupportedData.ML_AND_RULE_DATA

    def train(
        self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        return self._resource  # nothing to learn: the decisions are written in turns.py

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        turn = turn_of(
            tracker,
            float(self.config["faq_confident"]),
            (float(self.config["also_faq"]), float(self.config["also_faq_topic"])),
        )
        action = next_action(turn, safety_topics=tuple(self.config["safety_topics"]))
        if action is None:
            return self._prediction(probabilities)
        probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities, is_no_user_prediction=True)
