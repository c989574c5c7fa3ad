"""An age in a message, in digits ("87-vuotias", "han e 82", "(34)") or in words
("kasikymppinen", "neljävuotias", "åttioårig", "sjuttiofem år"), Finnish and Swedish alike.

The words for numbers are data (bot/lexicon/need.yml, `numbers`); the text is accent-folded first,
so "nelja" and "fyraaring" are read too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import yaml

from bot.components.lexicon import LEXICON_DIR, fold

# After a number: the word that makes it an age (Finnish vuotias/v/vee, Swedish åring/årig, "år
# gammal"); not "vuotta" or a bare "år", which are years of anything ("3 vuotta sitten", "i 2 år").
_AGE_SUFFIX = r"(?:v\b|v\.|vuotia\w*|vuotias|vee\b|veen\w*|vuo\b|aring\w*|arig\w*|ar\s+gammal)"
_DIGITS = re.compile(rf"(?<![\d:.,])(\d{{1,3}})\s?-?\s?{_AGE_SUFFIX}", re.IGNORECASE)
# "hän on 79", "han e 84", "hon är 63 år", "se on 82": a bare number after "is" (an answer to the
# bot's age question, or the usual way to tell one), followed by nothing that makes it a count.
_IS_NUMBER = re.compile(
    r"\b(?:on|oon|olen|olin|oli|ois|e|ar|va|var)\s+(?:jo\s+|nyt\s+|yli\s+|ungefar\s+|typ\s+|kohta\s+|snart\s+)?"
    r"(\d{1,3})(?=\s*(?:$|[,.!?;)]|ja\b|ni\b|ja\s|och\b|o\b|eika\b|eikä\b|mut\b|mutta\b|men\b|"
    r"ar\b|ar\s+gammal|v\b|vuotias|vee\b))",
    re.IGNORECASE,
)
# "varmaan yli 90", "typ 90", "ungefär 85", "över 80"
_ABOUT = re.compile(
    r"\b(?:yli|noin|lahes|melkein|kohta|typ|kanske|ungefar|over|nastan|snart|ca)\s+(\d{2,3})\b(?!\s*(?:kg|km|e|eur|euro|%|min|h|kk|vuotta|ar\b|dagar|paivaa|kertaa|ganger))",
    re.IGNORECASE,
)
# "mummo (87)", "broidi 34v", "tytär, 16,"
_IN_BRACKETS = re.compile(r"\((\d{1,3})\s?v?\.?\)")


@dataclass(frozen=True)
class Age:
    years: int
    start: int
    end: int


@cache
def _numbers() -> tuple[dict[str, int], dict[str, int], dict[str, int], tuple[str, ...]]:
    raw = yaml.safe_load((LEXICON_DIR / "need.yml").read_text(encoding="utf-8"))["numbers"]
    units = {fold(word): int(value) for word, value in raw["units"].items()}
    tens = {fold(word): int(value) for word, value in raw["tens"].items()}
    times_ten = {fold(word): 10 for word in raw["times_ten"]}
    before = tuple(fold(word) for word in raw["before_age"])
    return units, tens, times_ten, before


def number_word(word: str) -> int | None:
    """The number a (compound) number word says, folded: "kahdeksankymmentaviisi" → 85,
    "seitkytviis" → 75, "attiofem" → 85, "nelja" → 4."""
    units, tens, times_ten, _ = _numbers()
    if word in units:
        return units[word]
    for prefix in sorted(tens, key=len, reverse=True):
        if word.startswith(prefix):
            rest = word[len(prefix) :]
            if not rest:
                return tens[prefix]
            return tens[prefix] + units[rest] if units.get(rest, 10) < 10 else None
    for prefix in sorted(units, key=len, reverse=True):
        if not word.startswith(prefix) or units[prefix] >= 10:
            continue
        rest = word[len(prefix) :]
        for multiplier in sorted(times_ten, key=len, reverse=True):
            if rest.startswith(multiplier):
                tail = rest[len(multiplier) :]
                if not tail:
                    return units[prefix] * 10
                if units.get(tail, 10) < 10:
                    return units[prefix] * 10 + units[tail]
    return None


# Inside one word, where the age is said: "neljävuotias", "kasikymppinen", "åttioårig", "fyraåring".
_AGE_STEMS = ("vuotia", "kymppi", "aring", "arig")


def _in_words(folded: str) -> Age | None:
    _, _, _, before = _numbers()
    words = list(re.finditer(r"\w+", folded))
    for index, found in enumerate(words):
        word = found.group(0)
        for stem in _AGE_STEMS:
            at = word.find(stem)
            if at <= 0:
                continue
            number = number_word(word[:at])
            if number is not None:
                years = number * 10 if stem == "kymppi" else number
                return Age(years, found.start(), found.end())
        # "yli kaheksankymmenen", "över åttio", "hon e sjuttiofem"
        if index > 0 and words[index - 1].group(0) in before:
            number = number_word(word.removesuffix("n")) or number_word(word)
            if number is not None and number >= 10:
                return Age(number, words[index - 1].start(), found.end())
    return None


def find_age(text: str) -> Age | None:
    """The first age the text tells, if any (up to 120 years)."""
    folded = fold(text)
    candidates = [
        Age(int(m.group(1)), m.start(), m.end())
        for pattern in (_DIGITS, _IN_BRACKETS, _IS_NUMBER, _ABOUT)
        for m in pattern.finditer(folded)
    ]
    worded = _in_words(folded)
    if worded is not None:
        candidates.append(worded)
    plausible = [age for age in candidates if 0 < age.years <= 120]
    return min(plausible, key=lambda age: age.start) if plausible else None
