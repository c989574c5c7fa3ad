"""The realistic single-message sets (tests/realistic/messages_<lang>.yml): what the bot reads in a
resident's message, compared with what the blind writer labelled, and the gates of issue 15.

A message's reading is what `POST /api/v1/triage` returns for it: the urgency (none, concern,
crisis, emergency), the crisis kind, the service area and the municipality, all taken from the NLU
parse (the SafetyLayer's `urgency` and `crisis_kind` entities, the NeedExtractor's `service_area`
and `municipality`). Standard library and PyYAML only, so that the tests can import it anywhere.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SETS_DIR = ROOT / "tests" / "realistic"
DANGER = ("emergency", "crisis")
ORDINARY = ("none", "concern")
# The targets (issue 15): every danger seen, few ordinary messages sent to 112 or a crisis line, the
# need identified.
MAX_ORDINARY_TO_SAFETY = 0.03
MIN_AREA_ACCURACY = 0.90
MIN_MUNICIPALITY_ACCURACY = 0.95
# What the gate holds until every target is met: the figures reached (last raised with the dialogue
# half of issue 15), so that nothing already reached can slip back. A measure at its target is
# gated at the target.
FLOORS: dict[str, dict[str, float]] = {
    "fi": {"emergency": 1.0, "crisis": 1.0, "ordinary_to_safety": 3 / 56},
    "sv": {"emergency": 1.0, "crisis": 21 / 22, "ordinary_to_safety": 2 / 56},
}


@dataclass(frozen=True)
class Reading:
    urgency: str
    crisis_kind: str | None
    service_area: str | None
    municipality: str | None


@dataclass(frozen=True)
class Labelled:
    id: str
    text: str
    expected: Reading


def entity(parsed: dict[str, Any], name: str) -> str | None:
    """The value of the first `name` entity of a parse, or None."""
    for found in parsed.get("entities") or []:
        if found.get("entity") == name and found.get("value") not in (None, ""):
            return str(found["value"])
    return None


def reading(parsed: dict[str, Any]) -> Reading:
    """The triage reading of one NLU parse (the same fields POST /api/v1/triage returns): the
    entities, or for a common question what it tells of the need (`neuvo_need`)."""
    need = parsed.get("neuvo_need") or {}

    def value(name: str) -> str | None:
        return entity(parsed, name) or need.get(name)

    return Reading(
        urgency=value("urgency") or "none",
        crisis_kind=value("crisis_kind"),
        service_area=value("service_area"),
        municipality=value("municipality"),
    )


def load(language: str, prefix: str = "messages") -> list[Labelled]:
    path = SETS_DIR / f"{prefix}_{language}.yml"
    if not path.exists():
        return []
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Labelled(
            id=str(item["id"]),
            text=str(item["text"]),
            expected=Reading(
                urgency=item["urgency"],
                crisis_kind=item.get("crisis_kind"),
                service_area=item.get("service_area"),
                municipality=item.get("municipality"),
            ),
        )
        for item in loaded["messages"]
    ]


def danger_seen(expected: str, got: str) -> bool:
    """An emergency must get the 112 answer; a crisis the crisis answer or the 112 answer."""
    if expected == "emergency":
        return got == "emergency"
    return got in DANGER


@dataclass
class Figures:
    """One language's figures on one set."""

    language: str
    count: int = 0
    recall: dict[str, tuple[int, int]] | None = None  # urgency -> (seen, of)
    ordinary_to_safety: tuple[int, int] = (0, 0)
    area: tuple[int, int] = (0, 0)  # concern messages
    area_all: tuple[int, int] = (0, 0)  # every message
    municipality: tuple[int, int] = (0, 0)
    urgency_exact: tuple[int, int] = (0, 0)
    confusion: Counter[tuple[str, str]] | None = None
    mistakes: list[str] | None = None

    @staticmethod
    def share(pair: tuple[int, int]) -> float:
        return pair[0] / pair[1] if pair[1] else 1.0


def score(language: str, items: list[Labelled], got: list[Reading]) -> Figures:
    """Compare the readings with the labels."""
    figures = Figures(language=language, count=len(items))
    recall: dict[str, list[int]] = {name: [0, 0] for name in DANGER}
    ordinary = [0, 0]
    area = [0, 0]
    area_all = [0, 0]
    municipality = [0, 0]
    exact = [0, 0]
    confusion: Counter[tuple[str, str]] = Counter()
    mistakes: list[str] = []
    for item, reading_ in zip(items, got, strict=True):
        want = item.expected
        confusion[(want.urgency, reading_.urgency)] += 1
        exact[1] += 1
        exact[0] += want.urgency == reading_.urgency
        wrong: list[str] = []
        if want.urgency in DANGER:
            recall[want.urgency][1] += 1
            if danger_seen(want.urgency, reading_.urgency):
                recall[want.urgency][0] += 1
            else:
                wrong.append(f"urgency {reading_.urgency} (expected {want.urgency})")
        else:
            ordinary[1] += 1
            if reading_.urgency in DANGER:
                ordinary[0] += 1
                wrong.append(f"urgency {reading_.urgency} (expected {want.urgency})")
        area_all[1] += 1
        area_all[0] += want.service_area == reading_.service_area
        if want.urgency == "concern":
            area[1] += 1
            if want.service_area == reading_.service_area:
                area[0] += 1
            else:
                wrong.append(f"area {reading_.service_area} (expected {want.service_area})")
        municipality[1] += 1
        if want.municipality == reading_.municipality:
            municipality[0] += 1
        else:
            wrong.append(f"municipality {reading_.municipality} (expected {want.municipality})")
        if wrong:
            mistakes.append(f"- {item.id} `{item.text}`: " + "; ".join(wrong))
    figures.recall = {name: (seen, total) for name, (seen, total) in recall.items()}
    figures.ordinary_to_safety = (ordinary[0], ordinary[1])
    figures.area = (area[0], area[1])
    figures.area_all = (area_all[0], area_all[1])
    figures.municipality = (municipality[0], municipality[1])
    figures.urgency_exact = (exact[0], exact[1])
    figures.confusion = confusion
    figures.mistakes = mistakes
    return figures


def gate(figures: Figures) -> list[str]:
    """The gate failures of one language's figures: below a target already reached, or below the
    floor of one not yet reached (FLOORS)."""
    failures = []
    language = figures.language
    floors = FLOORS.get(language, {})
    for name, pair in (figures.recall or {}).items():
        floor = floors.get(name, 1.0)
        if pair[1] and round(pair[0] / pair[1], 6) < round(floor, 6):
            failures.append(
                f"{language}: {name} recall {pair[0]}/{pair[1]} < {floor:.1%} (target 100 %)"
            )
    allowed = max(MAX_ORDINARY_TO_SAFETY, floors.get("ordinary_to_safety", 0.0))
    if round(Figures.share(figures.ordinary_to_safety), 6) > round(allowed, 6):
        seen, total = figures.ordinary_to_safety
        failures.append(
            f"{language}: ordinary messages sent to 112 or a crisis line {seen}/{total}"
            f" > {allowed:.1%} (target {MAX_ORDINARY_TO_SAFETY:.0%})"
        )
    if round(Figures.share(figures.area), 6) < MIN_AREA_ACCURACY:
        seen, total = figures.area
        failures.append(f"{language}: service area {seen}/{total} < {MIN_AREA_ACCURACY:.0%}")
    if round(Figures.share(figures.municipality), 6) < MIN_MUNICIPALITY_ACCURACY:
        seen, total = figures.municipality
        failures.append(
            f"{language}: municipality {seen}/{total} < {MIN_MUNICIPALITY_ACCURACY:.0%}"
        )
    return failures


def _pct(pair: tuple[int, int]) -> str:
    return f"{pair[0]}/{pair[1]} ({Figures.share(pair):.1%})"


def markdown(title: str, figures: Figures) -> list[str]:
    """The figures as a Markdown section."""
    recall = figures.recall or {}
    lines = [
        f"## {title}, {figures.language}: {figures.count} messages",
        "",
        "| measure | figure | target |",
        "| --- | ---: | ---: |",
        f"| emergency recall (the 112 answer) | {_pct(recall.get('emergency', (0, 0)))} | 100 % |",
        f"| crisis recall (the crisis or 112 answer) | {_pct(recall.get('crisis', (0, 0)))}"
        " | 100 % |",
        f"| ordinary messages sent to 112 or a crisis line | {_pct(figures.ordinary_to_safety)}"
        f" | ≤ {MAX_ORDINARY_TO_SAFETY:.0%} |",
        f"| service area, concern messages | {_pct(figures.area)} | ≥ {MIN_AREA_ACCURACY:.0%} |",
        f"| service area, every message | {_pct(figures.area_all)} | |",
        f"| municipality, every message | {_pct(figures.municipality)}"
        f" | ≥ {MIN_MUNICIPALITY_ACCURACY:.0%} |",
        f"| urgency exactly as labelled | {_pct(figures.urgency_exact)} | |",
        "",
        "Urgency, labelled → read:",
        "",
        "| labelled | none | concern | crisis | emergency |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    confusion = figures.confusion or Counter()
    for want in ("none", "concern", "crisis", "emergency"):
        cells = " | ".join(
            str(confusion[(want, got)]) for got in ("none", "concern", "crisis", "emergency")
        )
        lines.append(f"| {want} | {cells} |")
    lines += ["", "Mistakes:", "", *(figures.mistakes or ["- none"]), ""]
    return lines
