"""Need identification: municipality, service area, whom the matter concerns, an age hint and a
ticket reference, found with spaCy rule matching on curated terms and the county's names."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.components.county import CountyFacts, load_county_facts
from bot.components.lexicon import Hit, Lexicon

AREA_PRECEDENCE = ("disability", "lanupe", "elderly", "working_age")
CONCERNS_PRECEDENCE = ("other", "close_person", "self")
_AGE = re.compile(
    r"(?<!\d)(\d{1,3})\s?-?\s?(?:v\b|v\.|vuot\w*|vee\w*|år\w*|åring\w*|ars\w*|aring\w*)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Found:
    entity: str
    value: str
    start: int
    end: int


def area_for_age(age: int) -> str:
    if age < 18:
        return "lanupe"
    if age >= 65:
        return "elderly"
    return "working_age"


class NeedRules:
    def __init__(self, county: CountyFacts | None = None, need: Lexicon | None = None) -> None:
        self._county = county or load_county_facts()
        self._areas = need or Lexicon.from_file("need.yml", section="service_area")
        self._concerns = Lexicon.from_file("need.yml", section="concerns")
        self._municipalities = Lexicon(self._municipality_terms())
        self._reference = re.compile(
            rf"(?<![\w-])({re.escape(self._county.reference_prefix)})\s?-\s?([0-9a-z]{{5}})(?![\w-])",
            re.IGNORECASE,
        )

    def _municipality_terms(self) -> dict[str, dict[str, list[str]]]:
        terms: dict[str, dict[str, list[str]]] = {}
        for municipality in self._county.municipalities:
            fi = {municipality.fi}
            if municipality.fi_stem:
                fi.add(municipality.fi_stem)
            terms[municipality.fi] = {
                "fi": [" ".join(f"{word}*" for word in name.split()) for name in sorted(fi)],
                "sv": [" ".join(f"{word}*" for word in municipality.sv.split())],
            }
        return terms

    def extract(self, text: str) -> list[Found]:
        found: list[Found] = []
        municipality = _first(self._municipalities.hits(text))
        if municipality:
            found.append(
                Found("municipality", municipality.category, municipality.start, municipality.end)
            )
        age = _AGE.search(text)
        if age:
            found.append(Found("age_hint", age.group(1), age.start(), age.end()))
        area_hits = self._areas.categories(text)
        area = next((a for a in AREA_PRECEDENCE if a in area_hits), None)
        if area is not None:
            hit = area_hits[area][0]
            found.append(Found("service_area", area, hit.start, hit.end))
        elif age and int(age.group(1)) <= 120:
            found.append(
                Found("service_area", area_for_age(int(age.group(1))), age.start(), age.end())
            )
        concern_hits = self._concerns.categories(text)
        concerns = next((c for c in CONCERNS_PRECEDENCE if c in concern_hits), None)
        if concerns is not None:
            hit = concern_hits[concerns][0]
            found.append(Found("concerns", concerns, hit.start, hit.end))
        reference = self._reference.search(text)
        if reference:
            value = f"{reference.group(1)}-{reference.group(2)}".upper()
            found.append(Found("reference", value, reference.start(), reference.end()))
        return found


def _first(hits: list[Hit]) -> Hit | None:
    return hits[0] if hits else None
