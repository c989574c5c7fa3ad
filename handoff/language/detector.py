"""Which language (Finnish or Swedish) a resident wrote in.

Lingua compares Finnish, Swedish and English. A message keeps the conversation's current language
unless Finnish or Swedish wins clearly: words that both languages use ("ok", "ja", "nej", "ja ok"),
English ("skip"), numbers and emoji never switch the language.
"""

import re
from typing import Literal

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

ResidentLanguage = Literal["fi", "sv"]

# Replies too short or too shared to tell the languages apart (lower case, no punctuation).
AMBIGUOUS = frozenset(
    {
        "ok",
        "okei",
        "okej",
        "okey",
        "oki",
        "ja",
        "jo",
        "nej",
        "no",
        "aha",
        "ahaa",
        "hmm",
        "mm",
        "joo",
        "skip",
    }
)
# An answer of this many words or fewer to the bot's question keeps the language: names and
# places belong to no language ("Jonna", "Mats", "Porlom").
ANSWER_WORDS = 2
MIN_CONFIDENCE = 0.5
MIN_MARGIN = 0.2

_LINGUA_TO_CODE: dict[Language, ResidentLanguage] = {
    Language.FINNISH: "fi",
    Language.SWEDISH: "sv",
}
_NON_LETTERS = re.compile(r"[^\w]+|[\d_]+")


class LanguageDetection:
    """Chooses the language of each message, given the conversation's current one."""

    def __init__(self) -> None:
        self._detector: LanguageDetector = (
            LanguageDetectorBuilder.from_languages(
                Language.FINNISH, Language.SWEDISH, Language.ENGLISH
            )
            .with_preloaded_language_models()
            .build()
        )

    def detect(
        self, text: str, *, current: ResidentLanguage, answering: bool = False
    ) -> ResidentLanguage:
        """The message's language, or `current` when the message does not tell clearly. A short
        answer to the bot's question (`answering`: a name, a place, "Kim", "Jonna") keeps it."""
        letters = _NON_LETTERS.sub(" ", text.lower()).strip()
        if not letters or all(word in AMBIGUOUS for word in letters.split()):
            return current
        if answering and len(letters.split()) <= ANSWER_WORDS:
            return current
        values = self._detector.compute_language_confidence_values(text)
        if values and values[0].language not in _LINGUA_TO_CODE:
            return current  # English ("skip", "ok thanks") says nothing of Finnish or Swedish
        confidences = {
            _LINGUA_TO_CODE[value.language]: value.value
            for value in values
            if value.language in _LINGUA_TO_CODE
        }
        best: ResidentLanguage = "fi" if confidences["fi"] >= confidences["sv"] else "sv"
        other: ResidentLanguage = "sv" if best == "fi" else "fi"
        if (
            confidences[best] >= MIN_CONFIDENCE
            and confidences[best] - confidences[other] >= MIN_MARGIN
        ):
            return best
        return current
