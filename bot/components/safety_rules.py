"""The deterministic safety layer: curated Finnish and Swedish terms that mark an emergency or a
crisis, whatever the statistical model predicted. It can raise urgency, never lower it."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.components.lexicon import Hit, Lexicon


@dataclass(frozen=True)
class SafetyVerdict:
    urgency: str  # "emergency", "crisis" or "none"
    crisis_kind: str | None = None  # "mental" or "violence" for a crisis
    hits: list[Hit] = field(default_factory=list)


def outside_not_danger(found: dict[str, list[Hit]]) -> dict[str, list[Hit]]:
    """The hits outside wording that is no sign of danger (a helping service's name, danger
    denied or past: bot/lexicon/safety.yml, `not_danger`)."""
    services = found.pop("not_danger", [])
    kept: dict[str, list[Hit]] = {}
    for category, hits in found.items():
        outside = [
            hit
            for hit in hits
            if not any(name.start <= hit.start and hit.end <= name.end for name in services)
        ]
        if outside:
            kept[category] = outside
    return kept


class SafetyRules:
    """Reads bot/lexicon/safety.yml once; `assess` is pure and fast."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self._lexicon = lexicon or Lexicon.from_file("safety.yml")

    def assess(self, text: str) -> SafetyVerdict:
        found = outside_not_danger(self._lexicon.categories(text))
        violence = found.get("crisis_violence", [])
        if "emergency" in found:
            return SafetyVerdict("emergency", None, found["emergency"])
        if violence and "now_markers" in found:
            return SafetyVerdict("emergency", "violence", violence + found["now_markers"])
        if violence:
            return SafetyVerdict("crisis", "violence", violence)
        if "crisis_mental" in found:
            return SafetyVerdict("crisis", "mental", found["crisis_mental"])
        return SafetyVerdict("none")
