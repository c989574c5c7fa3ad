"""Masking personal data in free text before it is stored.

Masked: Finnish personal identity codes (HETU), IBANs, e-mail addresses and phone numbers, as
[hetu], [iban], [email] and [phone]. Identity codes and IBANs are masked only when their check
character or check digits are right (python-stdnum): a code with a wrong check character is no
identity code, and masking every 11-character look-alike would hide dates and case numbers.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from stdnum import iban
from stdnum.fi import hetu

from handoff.conversations.phone import PHONE_PATTERN, compact_phone_number

# A Finnish personal identity code: DDMMYY, a century sign (+ for the 1800s; - and, since 2023,
# Y X W V U for the 1900s; A and, since 2023, B C D E F for the 2000s), three digits and a check
# character. Upper or lower case. The century sign is never normalised: it tells apart two
# people born on the same day a hundred years apart.
_HETU = re.compile(r"(?<!\w)\d{6}[-+A-FU-Y]\d{3}[0-9A-Y](?!\w)", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# The start of an IBAN candidate: a country code and two check digits, not inside a word. The
# rest (11 to 30 letters and digits, single spaces allowed between them) is found by _mask_ibans.
_IBAN_START = re.compile(r"(?<!\w)[A-Za-z]{2}[0-9]{2}")
_IBAN_REST = re.compile(r"(?: ?[0-9A-Za-z]){11,30}")
_IBAN_LENGTHS = range(15, 35)  # the shortest (Norway) and the longest IBAN, compact

HETU_TOKEN = "[hetu]"
IBAN_TOKEN = "[iban]"
EMAIL_TOKEN = "[email]"
PHONE_TOKEN = "[phone]"
# What the bot sees instead of a phone number: its last four digits, which the resident's status
# lookup asks for and which tell the conversation's numbers apart. The service keeps the number.
PHONE_REFERENCE = re.compile(r"\[phone:(\d{4})\]")


def is_identity_code(text: str) -> bool:
    """True when `text` is a valid Finnish personal identity code (any case, any century sign,
    temporary codes 900–999 included)."""
    return hetu.is_valid(text, allow_temporary=True)


def _mask_identity_codes(text: str) -> str:
    return _HETU.sub(
        lambda match: HETU_TOKEN if is_identity_code(match.group(0)) else match.group(0), text
    )


def _mask_ibans(text: str) -> str:
    """Each valid IBAN, with or without spaces, replaced by [iban]: the longest valid reading
    that ends at a word boundary wins, so that a following word is never swallowed."""
    parts: list[str] = []
    position = 0
    search_from = 0
    while (start := _IBAN_START.search(text, search_from)) is not None:
        rest = _IBAN_REST.match(text, start.end())
        end = _valid_iban_end(text, start.start(), rest.end() if rest else start.end())
        if end is None:
            search_from = start.start() + 1
            continue
        parts.append(text[position : start.start()])
        parts.append(IBAN_TOKEN)
        position = search_from = end
    parts.append(text[position:])
    return "".join(parts)


def _valid_iban_end(text: str, begin: int, longest: int) -> int | None:
    """The largest end <= `longest` at which text[begin:end] is a valid IBAN, or None."""
    for end in range(longest, begin, -1):
        if end < len(text) and (text[end].isalnum() or text[end] == "_"):
            continue  # inside a word
        candidate = text[begin:end]
        if candidate.endswith(" "):
            continue
        compact = candidate.replace(" ", "")
        if len(compact) in _IBAN_LENGTHS and iban.is_valid(compact):
            return end
    return None


def _mask_emails(text: str) -> str:
    return _EMAIL.sub(EMAIL_TOKEN, text)


def _mask_phones(text: str) -> str:
    return PHONE_PATTERN.sub(PHONE_TOKEN, text)


# The order matters: an e-mail address may hold digits, and an IBAN's digits look like a phone.
_MASKS: tuple[Callable[[str], str], ...] = (
    _mask_emails,
    _mask_identity_codes,
    _mask_ibans,
    _mask_phones,
)


def mask_personal_data(text: str, *, keep_phone_numbers: bool = False) -> str:
    """Identity codes, IBANs, e-mail addresses and phone numbers replaced by [hetu], [iban],
    [email] and [phone]; with `keep_phone_numbers`, phone numbers stay (tickets: advisors call
    them back)."""
    masks = [m for m in _MASKS if not (keep_phone_numbers and m is _mask_phones)]
    # Until nothing changes: a number glued to another ("0401234567+358401234567") is found
    # only once its neighbour is a token. Ends, as every mask removes digits or an @.
    while True:
        masked = text
        for mask in masks:
            masked = mask(masked)
        if masked == text:
            return masked
        text = masked


@dataclass(frozen=True)
class BotText:
    """A resident's message as the bot may see it, and the phone numbers taken out of it."""

    text: str
    phones: dict[str, str] = field(default_factory=dict)  # last four digits -> number, digits only


def mask_for_bot(text: str) -> BotText:
    """Personal data masked as in `mask_personal_data`, except that each phone number becomes
    [phone:NNNN] (its last four digits) and is returned beside the text: Rasa's trackers never
    hold a whole number, and the hand-off's ticket gets it from the service
    (handoff.conversations.contact_phones)."""
    phones: dict[str, str] = {}

    def reference(match: "re.Match[str]") -> str:
        number = compact_phone_number(match.group(0))
        phones.setdefault(number[-4:], number)
        return f"[phone:{number[-4:]}]"

    masked = mask_personal_data(text, keep_phone_numbers=True)
    while True:  # numbers glued together are found one after another (see mask_personal_data)
        again = mask_personal_data(PHONE_PATTERN.sub(reference, masked), keep_phone_numbers=True)
        if again == masked:
            return BotText(text=masked, phones=phones)
        masked = again
