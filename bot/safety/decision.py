"""The one place that decides what counts as a danger in a message and what follows from it.

Inputs: the curated terms of bot/lexicon/safety.yml found in the text, the clauses' time and
reporting context (`context.py`), and the model's reading of the whole message and of each of its
sentences. Output: the intent the message gets (`emergency` → the 112 answer, `crisis` → the crisis
answer of its kind), its urgency (which also orders the ticket) and the kind of crisis:

- `mental` → the crisis line; `violence` → Nollalinja, with 112 if it happens now;
- `violence_now`: violence in a close relationship happening now or tonight → 112 first, then
  Nollalinja (the intent `crisis`, its answer); with a weapon or an injury it is an emergency and
  gets the 112 answer.

A danger in any sentence counts, the last one of a long message too. A danger told of the past, of
a programme or an article, or denied, is no present danger. Nothing here lowers a danger the curated
terms found in a clause about now.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.components.lexicon import Hit
from bot.safety.clauses import Span
from bot.safety.context import Context

URGENCY_ORDER = ("none", "concern", "crisis", "emergency")
SAFETY_INTENTS = ("emergency", "crisis")
# The need a message tells of without danger: a matter for a worker.
CONCERN_INTENTS = ("concern", "request_human")
DANGER_CATEGORIES = ("emergency", "crisis_violence", "crisis_mental")
SERVICE_NAMES = "not_danger"


@dataclass(frozen=True)
class Thresholds:
    """Read from bot/config.yml (the SafetyLayer's settings); no defaults here."""

    sentence: float  # a sentence the model reads as a danger at this confidence or more counts
    support: float  # a clause about now with this probability of the danger or more carries it
    escalation: float  # when the model is unsure, a danger it ranks at this or more wins
    confident: float  # the model is sure of its top intent at this confidence or more
    min_words: int  # the unsure escalation needs at least this many words
    concern: float  # a question that also tells of a person's need: concern at this or more
    # A crisis of this kind is left to the common question the model chose confidently: asking where
    # to get help for violence gets the answer on Nollalinja (which also gives 112 and offers a
    # worker). Violence happening now, and every mental-health crisis, always get the crisis answer.
    answered_by_faq: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> Thresholds:
        """From the SafetyLayer's settings in bot/config.yml; every one is required."""
        keys = {
            "sentence": "sentence_threshold",
            "support": "clause_support_threshold",
            "escalation": "escalation_threshold",
            "confident": "confident_threshold",
            "min_words": "escalation_min_words",
            "concern": "concern_threshold",
            "answered_by_faq": "crisis_answered_by_faq",
        }
        missing = [key for key in keys.values() if key not in settings]
        if missing:
            raise ValueError(f"SafetyLayer in bot/config.yml needs {', '.join(missing)}")
        return cls(
            sentence=float(settings["sentence_threshold"]),
            support=float(settings["clause_support_threshold"]),
            escalation=float(settings["escalation_threshold"]),
            confident=float(settings["confident_threshold"]),
            min_words=int(settings["escalation_min_words"]),
            concern=float(settings["concern_threshold"]),
            answered_by_faq=dict(settings["crisis_answered_by_faq"]),
        )


@dataclass(frozen=True)
class SentenceReading:
    """The model's reading of one sentence."""

    span: Span
    label: str
    confidence: float
    emergency: float
    crisis: float

    @classmethod
    def of(cls, part: dict[str, Any]) -> SentenceReading:
        """From the classifier's reading of a part (bot/components/linear_classifier.py)."""
        return cls(
            span=Span(int(part["start"]), int(part["end"]), ""),
            label=str(part["label"]).split("/", 1)[0],
            confidence=float(part["confidence"]),
            emergency=float(part["emergency"]),
            crisis=float(part["crisis"]),
        )


@dataclass(frozen=True)
class ModelReading:
    """The model's reading of the message (after the fallback and short-reply components)."""

    intent: str
    confidence: float
    ranking: dict[str, float]
    sentences: list[SentenceReading] = field(default_factory=list)
    clauses: list[SentenceReading] = field(default_factory=list)
    crisis_kind: dict[str, float] = field(default_factory=dict)
    topic: str | None = None  # faq/<topic> when the intent is a common question


@dataclass(frozen=True)
class Verdict:
    intent: str  # the intent the message gets
    urgency: str
    crisis_kind: str | None
    where: tuple[int, int]  # what it rests on, for the entity's offsets


def live_hits(
    found: dict[str, list[Hit]], context: Context, *, confident_question: bool = False
) -> dict[str, list[Hit]]:
    """The danger terms outside a helping service's name, in clauses about now: not of the past,
    a report or a denial; an emergency not of yesterday; and, in a message the model is confident
    is a common question, not in a clause of "if" ("mihin soitan jos epäilen myrkytystä")."""
    services = found.get(SERVICE_NAMES, [])
    live: dict[str, list[Hit]] = {}
    for category in DANGER_CATEGORIES:
        kept = [
            hit
            for hit in found.get(category, [])
            if not any(name.start <= hit.start and hit.end <= name.end for name in services)
            and context.is_now(hit.start)
            and not (category == "emergency" and context.is_yesterday(hit.start))
            and not (confident_question and context.is_hypothetical(hit.start))
        ]
        if kept:
            live[category] = kept
    return live


def _probability(reading: SentenceReading, danger: str) -> float:
    return reading.emergency if danger == "emergency" else reading.crisis


def _about_now(
    span: Span, danger: str, model: ModelReading, context: Context, thresholds: Thresholds
) -> bool:
    """Whether the danger the model reads in `span` is told of now: a clause of it that is about
    now carries the danger (or, read as one piece, the span has no clause of the past, a report or
    a denial, or a word of now)."""
    inside = [c for c in model.clauses if span.start <= c.span.start and c.span.end <= span.end]
    if len(inside) >= 2:
        return any(
            context.is_now(c.span.start) and _probability(c, danger) >= thresholds.support
            for c in inside
        )
    return context.span_is_now(span)


def _model_danger(
    model: ModelReading, context: Context, thresholds: Thresholds, words: int, length: int
) -> tuple[str, tuple[int, int]] | None:
    """The danger the model reads in a part of the message about now, if any."""
    whole = Span(0, length, "")
    if model.intent in SAFETY_INTENTS:
        supported = _about_now(whole, model.intent, model, context, thresholds) or any(
            s.label == model.intent
            and s.confidence >= thresholds.sentence
            and _about_now(s.span, s.label, model, context, thresholds)
            for s in model.sentences
        )
        if supported:
            return model.intent, (0, length)
    for sentence in model.sentences:
        if (
            sentence.label in SAFETY_INTENTS
            and sentence.confidence >= thresholds.sentence
            and _about_now(sentence.span, sentence.label, model, context, thresholds)
        ):
            return sentence.label, (sentence.span.start, sentence.span.end)
    unsure = model.intent == "nlu_fallback" or model.confidence < thresholds.confident
    if unsure and model.intent not in SAFETY_INTENTS and words >= thresholds.min_words:
        candidates = [
            name for name in SAFETY_INTENTS if model.ranking.get(name, 0.0) >= thresholds.escalation
        ]
        candidates = [
            name
            for name in candidates
            if not context.has_denial and _about_now(whole, name, model, context, thresholds)
        ]
        if candidates:
            best = max(candidates, key=lambda name: model.ranking[name])
            return best, (0, length)
    return None


def _kind(
    danger: str,
    live: dict[str, list[Hit]],
    model: ModelReading,
    context: Context,
    found: dict[str, list[Hit]],
) -> str:
    """The kind of the danger: violence (now or not) or mental from the curated terms; for a crisis
    the model read, the crisis-kind model's choice."""
    violence = live.get("crisis_violence", [])
    if violence:
        now = any(context.is_now(hit.start) for hit in found.get("now_markers", []))
        return "violence_now" if now else "violence"
    if live.get("crisis_mental"):
        return "mental"
    if danger == "emergency":
        return "unknown"
    if model.crisis_kind:
        kind = max(model.crisis_kind, key=lambda name: model.crisis_kind[name])
        if kind == "violence":
            now = any(context.is_now(hit.start) for hit in found.get("now_markers", []))
            return "violence_now" if now else "violence"
        return kind
    return "unknown"


def decide(
    *,
    text: str,
    found: dict[str, list[Hit]],
    model: ModelReading,
    thresholds: Thresholds,
    person_in_need: bool = False,
) -> Verdict:
    """The intent, urgency and crisis kind of one message."""
    context = Context.of(text, found)
    confident_question = model.intent == "faq" and model.confidence >= thresholds.confident
    live = live_hits(found, context, confident_question=confident_question)
    danger: str | None = None
    where = (0, len(text))
    if "emergency" in live:
        danger, where = "emergency", (live["emergency"][0].start, live["emergency"][0].end)
    elif "crisis_violence" in live or "crisis_mental" in live:
        first = (live.get("crisis_violence") or live["crisis_mental"])[0]
        danger, where = "crisis", (first.start, first.end)
    modelled = _model_danger(model, context, thresholds, len(text.split()), len(text))
    if modelled is not None and (
        danger is None or URGENCY_ORDER.index(modelled[0]) > URGENCY_ORDER.index(danger)
    ):
        danger, where = modelled
    if danger is None:
        intent = model.intent
        if intent in SAFETY_INTENTS:  # the model's danger was all in the past or reported
            intent = _best_ordinary(model)
        return Verdict(
            intent, _need_urgency(intent, model, thresholds, person_in_need), None, where
        )
    if danger == "emergency":
        # A weapon, an injury, a life in danger: the 112 answer, whoever is violent.
        return Verdict("emergency", "emergency", None, where)
    kind = _kind(danger, live, model, context, found)
    if (
        danger == "crisis"
        and model.intent == "faq"
        and model.confidence >= thresholds.confident
        and model.topic is not None
        and thresholds.answered_by_faq.get(kind) == model.topic
    ):
        return Verdict("faq", "none", None, where)
    if kind == "violence_now":
        return Verdict("crisis", danger, kind, where)
    if danger == "emergency":
        return Verdict("emergency", "emergency", None, where)
    return Verdict("crisis", "crisis", kind, where)


def _best_ordinary(model: ModelReading) -> str:
    ranked = sorted(model.ranking.items(), key=lambda item: item[1], reverse=True)
    return next((name for name, _ in ranked if name not in SAFETY_INTENTS), "nlu_fallback")


def _need_urgency(
    intent: str, model: ModelReading, thresholds: Thresholds, person_in_need: bool
) -> str:
    """`concern` for a matter for a worker: a concern or a request for a person, or a question
    that also tells of someone who needs the service (for triage: a note from a phone call)."""
    if intent in CONCERN_INTENTS:
        return "concern"
    if person_in_need and model.ranking.get("concern", 0.0) >= thresholds.concern:
        return "concern"
    return "none"
