"""What a message says about being contacted, from any message of the conversation: a phone number
(as the handoff service sends it, `[phone:NNNN]`), "the number I gave already", a request to be
called (also the resident's consent), a good time to call, a name, and going back to the matter.
Curated terms: bot/lexicon/contact.yml."""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from bot.components.lexicon import LEXICON_DIR, Hit, Lexicon, fold
from bot.safety.clauses import Span, clauses, sentences

# The handoff service keeps each phone number and sends its last four digits; a number typed
# straight to Rasa (tests, the triage of a text with a number) is read too.
PHONE_REFERENCE = re.compile(r"\[phone:\d{4}\]")
PHONE_NUMBER = re.compile(r"(?<![\d+])(?:\+358|00358|0)(?:[ -]?\d){6,11}(?!\d)")
SAME_NUMBER = "same"
# Categories of contact.yml that a message either says or not (its entity, value "yes").
FLAGS = (
    ("request", "contact_request"),
    ("decline", "decline"),
    ("unsure", "unsure"),
    ("resume", "resume"),
)
# "oon tiina", "olen Aino" (folded): a name when the word is a known first name
_I_AM = re.compile(r"\b(?:oon|olen|ma oon|tassa on|taalla on)\s+(\w+)", re.IGNORECASE)
_NAME_WORD = r"[A-ZÅÄÖ][a-zåäöéü]+(?:-[A-ZÅÄÖ][a-zåäöéü]+)?"


@dataclass(frozen=True)
class Said:
    entity: str
    value: str
    start: int
    end: int


class ContactRules:
    """Reads bot/lexicon/contact.yml once; every method is pure."""

    def __init__(self) -> None:
        raw = yaml.safe_load((LEXICON_DIR / "contact.yml").read_text(encoding="utf-8"))
        self._terms = Lexicon(
            {
                key: raw[key]
                for key in (
                    "request",
                    "time",
                    "call_words",
                    "resume",
                    "same_number",
                    "decline",
                    "unsure",
                )
            }
        )
        self._first_names = {fold(name) for name in raw["first_names"]}
        cues = sorted(
            (fold(cue) for by_language in raw["name_cues"].values() for cue in by_language),
            key=len,
            reverse=True,
        )
        self._after_cue = re.compile(
            r"(?:^|(?<=\W))(?:"
            + "|".join(re.escape(c) for c in cues)
            + r")\s*[:,]?\s*(\w+(?:[ -]\w+)?)",
            re.IGNORECASE,
        )

    def read(self, text: str) -> list[Said]:
        """Everything the message says about being contacted."""
        found = self._terms.categories(text)
        said: list[Said] = []
        phone = PHONE_REFERENCE.search(text) or PHONE_NUMBER.search(text)
        if phone:
            value = phone.group(0)
            if not value.startswith("["):
                value = re.sub(r"[ -]", "", value)
            said.append(Said("phone", value, phone.start(), phone.end()))
        elif "same_number" in found:
            hit = found["same_number"][0]
            said.append(Said("phone", SAME_NUMBER, hit.start, hit.end))
        for category, entity in FLAGS:
            if category in found:
                hit = found[category][0]
                said.append(Said(entity, "yes", hit.start, hit.end))
        when = self.contact_time(text, found=found)
        if when is not None:
            said.append(Said("contact_time", when.text, when.start, when.end))
        name = self.name(text)
        if name is not None:
            said.append(name)
        return said

    def contact_time(
        self, text: str, *, answering: bool = False, found: dict[str, list[Hit]] | None = None
    ) -> Span | None:
        """The clauses that tell a good time to call: time words in a clause that also speaks of
        calling or of a preference, or in a sentence with a phone number, or (`answering` the
        bot's question about the time) anywhere."""
        found = found if found is not None else self._terms.categories(text)
        times = found.get("time", [])
        if not times:
            return None
        calls = found.get("call_words", []) + found.get(
            "request", []
        )  # preference, number, request
        phone_at = [m.start() for m in PHONE_REFERENCE.finditer(text)] + [
            m.start() for m in PHONE_NUMBER.finditer(text)
        ]
        parts = clauses(text)
        whole = sentences(text)
        chosen: list[Span] = []
        for part in parts:
            if not any(part.start <= hit.start < part.end for hit in times):
                continue
            sentence = next((s for s in whole if s.start <= part.start < s.end), part)
            speaks_of_calling = any(sentence.start <= hit.start < sentence.end for hit in calls)
            near_number = any(sentence.start <= at < sentence.end for at in phone_at)
            if answering or speaks_of_calling or near_number:
                chosen.append(part)
        if not chosen:
            return None
        start, end = chosen[0].start, chosen[-1].end
        return Span(start, end, text[start:end])

    def name(self, text: str, *, answering: bool = False) -> Said | None:
        """A name the resident gives: after "nimeni on", "jag heter", "terveisin"; "oon Tiina"
        with a common first name; or (`answering` the bot's question) the answer itself."""
        folded = fold(text)
        cue = self._after_cue.search(folded)
        if cue:
            start, end = cue.span(1)
            words = text[start:end].split()
            kept = [w for w in words if fold(w) in self._first_names or w[:1].isupper()]
            value = " ".join(kept or words[:1])
            return Said("contact_name", value.strip(" ,.!"), start, start + len(value))
        i_am = _I_AM.search(folded)
        if i_am and i_am.group(1) in self._first_names:
            start, end = i_am.span(1)
            return Said("contact_name", text[start:end].capitalize(), start, end)
        if answering:
            capitalised = re.search(rf"\b{_NAME_WORD}(?:\s+{_NAME_WORD})?", text)
            if capitalised:
                return Said("contact_name", capitalised.group(0), *capitalised.span())
            first = next(
                (m for m in re.finditer(r"\w+", folded) if m.group(0) in self._first_names), None
            )
            if first:
                return Said(
                    "contact_name", text[first.start() : first.end()].capitalize(), *first.span()
                )
        return None
