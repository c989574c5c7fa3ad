"""The municipality a message is about, in any form: Finnish and Swedish names in their case forms,
without ä/ö/å, with a letter missing at the end of a Finnish stem (porvossa, sipossa), and the
villages and districts the county file lists as a municipality's aliases (Nikkilä → Sipoo).

When a message names several, the place where the person lives wins over a town where they are
only in hospital ("äiti on Porvoon sairaalassa mutta asuu Askolassa" → Askola); a town named only as
a hospital's is given with the role `hospital`, which the dialogue never lets replace a place
already known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.components.county import CountyFacts, MunicipalityNames
from bot.components.lexicon import Hit, Lexicon, fold
from bot.safety.clauses import clauses

HOSPITAL = "hospital"


@dataclass(frozen=True)
class Place:
    municipality: str  # the Finnish (canonical) name
    start: int
    end: int
    role: str | None = None  # "hospital" when named only as where the person is cared for


# The endings a place name takes in Finnish (folded: ä → a, ö → o), spoken forms included
# ("porvoos", "sipooseen"), and the Swedish genitive -s. A name matches only with one of these, so
# that the village Valko is not "valkoinen" (white).
_ENDINGS = (
    "n|ssa|sta|lla|lta|lle|an|en|in|on|un|yn|aan|een|iin|oon|uun|yyn|hin|seen|siin|ksi|na|a|ta|"
    "s|sa|laiset|lainen|laisen|laisten|laisia"
)


def _stem(name: str) -> str:
    """A Finnish name's stem for a dropped letter (Porvoo → porvo: "porvossa")."""
    folded = fold(name)
    return folded[:-1] if len(folded) >= 5 else folded


def _pattern(names: set[str]) -> re.Pattern[str]:
    alternatives = sorted(
        (r"\s+".join(map(re.escape, n.split())) for n in names), key=len, reverse=True
    )
    return re.compile(rf"\b(?:{'|'.join(alternatives)})(?:{_ENDINGS})?\b")


def _names(municipality: MunicipalityNames) -> set[str]:
    names = {fold(municipality.fi), _stem(municipality.fi), fold(municipality.sv)}
    if municipality.fi_stem:
        names.add(fold(municipality.fi_stem))
    return names | {fold(alias) for alias in municipality.aliases}


class Places:
    """Finds the municipality of a message (pure and fast once built)."""

    def __init__(self, county: CountyFacts) -> None:
        self._patterns = [(m.fi, _pattern(_names(m))) for m in county.municipalities]
        self._context = Lexicon.from_file("need.yml", section="place_context")

    def hits(self, text: str) -> list[Hit]:
        folded = fold(text)
        found = [
            Hit(name, name, m.start(), m.end(), text[m.start() : m.end()])
            for name, pattern in self._patterns
            for m in pattern.finditer(folded)
        ]
        return _longest(found)

    def find(self, text: str) -> Place | None:
        hits = self.hits(text)
        if not hits:
            return None
        context = self._context.categories(text)
        parts = clauses(text)

        def in_clause_of(hit: Hit, category: str) -> bool:
            clause = next((c for c in parts if c.start <= hit.start < c.end), None)
            return clause is not None and any(
                clause.start <= other.start < clause.end for other in context.get(category, [])
            )

        def score(hit: Hit) -> int:
            return 2 * in_clause_of(hit, "home") - 2 * in_clause_of(hit, HOSPITAL)

        best = max(hits, key=lambda hit: (score(hit), -hit.start))
        only_hospital = score(best) < 0
        return Place(best.category, best.start, best.end, HOSPITAL if only_hospital else None)


def _longest(hits: list[Hit]) -> list[Hit]:
    """One hit per stretch of text (the longest), so that "Pernå kyrkby" is one place."""
    kept: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
        if kept and hit.start < kept[-1].end:
            continue
        kept.append(hit)
    return kept
