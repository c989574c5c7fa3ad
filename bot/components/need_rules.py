"""Need identification: the municipality, the service area, whom the matter concerns, an age, a
ticket reference, and what the message says about being contacted, for every message.

The service area is learned (the LabelClassifier's `service_area`, trained on labelled concern
examples) with the curated terms (bot/lexicon/need.yml) and the age as a backstop; a common
question's topic implies its area (bot/content/topics.yml). The municipality comes from the county
file's names and aliases (bot/components/places.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.components.ages import Age, find_age
from bot.components.contact_rules import ContactRules
from bot.components.county import CountyFacts, load_county_facts
from bot.components.lexicon import Lexicon
from bot.components.places import Places

AREA_PRECEDENCE = ("disability", "lanupe", "elderly", "working_age")
CONCERNS_PRECEDENCE = ("other", "close_person", "self")
TOPICS_FILE = Path(__file__).resolve().parents[1] / "content" / "topics.yml"
# Intents whose message tells of a person's need: their area is read from the words.
NEED_INTENTS = ("concern", "crisis", "emergency", "request_human", "inform")
# The area model learned from concern and crisis examples: it speaks only for such messages ("I
# want to talk to a person" or an answer to a question tells no area of its own).
MODELLED_INTENTS = ("concern", "crisis", "emergency")


@dataclass(frozen=True)
class Found:
    entity: str
    value: str
    start: int
    end: int
    role: str | None = None


@dataclass(frozen=True)
class AreaThresholds:
    # The model's area at this probability or more wins over the curated terms; below it, the
    # terms or the age decide, and with neither the area is asked rather than guessed.
    strong: float


def area_for_age(age: int) -> str:
    if age < 18:
        return "lanupe"
    if age >= 65:
        return "elderly"
    return "working_age"


def topic_areas(path: Path = TOPICS_FILE) -> dict[str, str]:
    """faq/<topic> → the service area its question implies (content: bot/content/topics.yml)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {f"faq/{topic}": str(area) for topic, area in (raw.get("service_area") or {}).items()}


class NeedRules:
    def __init__(self, county: CountyFacts | None = None, need: Lexicon | None = None) -> None:
        self._county = county or load_county_facts()
        self._areas = need or Lexicon.from_file("need.yml", section="service_area")
        self._concerns = Lexicon.from_file("need.yml", section="concerns")
        self._own_age = Lexicon.from_file("need.yml", section="own_age")
        self._places = Places(self._county)
        self._contact = ContactRules()
        self._topic_areas = topic_areas()
        self._reference = re.compile(
            rf"(?<![\w-])({re.escape(self._county.reference_prefix)})\s?-\s?([0-9a-z]{{5}})(?![\w-])",
            re.IGNORECASE,
        )

    def extract(
        self,
        text: str,
        *,
        intent: str | None = None,
        topic: str | None = None,
        area_model: dict[str, float] | None = None,
        thresholds: AreaThresholds | None = None,
    ) -> list[Found]:
        """Everything the message tells of the need and of being contacted."""
        found: list[Found] = []
        place = self._places.find(text)
        if place is not None:
            found.append(
                Found("municipality", place.municipality, place.start, place.end, place.role)
            )
        age = find_age(text)
        if age is not None:
            found.append(Found("age_hint", str(age.years), age.start, age.end))
        area = self.area(
            text, intent=intent, topic=topic, area_model=area_model, thresholds=thresholds, age=age
        )
        if area is not None:
            found.append(area)
        concerns = self.concerns(text)
        if age is not None and self._is_own_age(text, age.start, age.end):
            concerns = Found("concerns", "self", age.start, age.end)
        if concerns is not None:
            found.append(concerns)
        reference = self._reference.search(text)
        if reference:
            value = f"{reference.group(1)}-{reference.group(2)}".upper()
            found.append(Found("reference", value, reference.start(), reference.end()))
        found += [Found(s.entity, s.value, s.start, s.end) for s in self._contact.read(text)]
        return found

    def _is_own_age(self, text: str, start: int, end: int) -> bool:
        """Whether the age is the writer's own: a cue of need.yml `own_age` right before it (or at
        the start of the age's own words, "olen 78 vuotias")."""
        hits = self._own_age.categories(text).get("self", [])
        return any(hit.start < start + 5 and start - 3 <= hit.end <= start + 5 for hit in hits)

    def concerns(self, text: str) -> Found | None:
        hits = self._concerns.categories(text)
        whom = next((c for c in CONCERNS_PRECEDENCE if c in hits), None)
        if whom is None:
            return None
        hit = hits[whom][0]
        return Found("concerns", whom, hit.start, hit.end)

    def area(
        self,
        text: str,
        *,
        intent: str | None,
        topic: str | None,
        area_model: dict[str, float] | None,
        thresholds: AreaThresholds | None,
        age: Age | None = None,
    ) -> Found | None:
        """The service area: a common question's topic's, else from the words of a need."""
        whole = (0, len(text))
        hits = self._areas.categories(text)
        by_terms = next((a for a in AREA_PRECEDENCE if a in hits), None)
        if intent == "faq":
            implied = self._topic_areas.get(topic or "")
            if implied:
                return Found("service_area", implied, *whole, role="topic")
            # a question on a topic of no area that tells of a person's need ("ja sitter i
            # rullstol, hur far ja fardtjanst"): the curated terms of the need
            if by_terms is not None and self.concerns(text) is not None:
                hit = hits[by_terms][0]
                return Found("service_area", by_terms, hit.start, hit.end, role="terms")
            return None
        if intent is not None and intent not in NEED_INTENTS and intent != "nlu_fallback":
            return None
        best, probability = None, 0.0
        if area_model and intent in MODELLED_INTENTS:
            best = max(area_model, key=lambda name: area_model[name])
            probability = area_model[best]
        limits = thresholds or AreaThresholds(strong=0.6)
        by_age = area_for_age(age.years) if age is not None else None
        if best is not None and probability >= limits.strong:
            # The areas but disability services are by age: a 16-year-old's cannabis is a matter
            # for youth services, an 85-year-old's debts for the services of older people.
            if by_age in ("lanupe", "elderly") and best not in ("disability", by_age):
                return Found("service_area", by_age, *whole, role="age")
            return Found("service_area", best, *whole, role="model")
        if by_terms == "lanupe" and by_age == "elderly":
            # an older person's "children" are adults ("barnen bor i Helsingfors")
            by_terms = next((a for a in AREA_PRECEDENCE if a in hits and a != "lanupe"), None)
        if by_terms is not None:
            hit = hits[by_terms][0]
            return Found("service_area", by_terms, hit.start, hit.end, role="terms")
        if by_age is not None:
            return Found("service_area", by_age, *whole, role="age")
        return None
