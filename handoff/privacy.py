"""Masking personal data in free text before it is stored for content editors."""

import re

from handoff.conversations.phone import PHONE_PATTERN

# Finnish personal identity code: DDMMYY, a century sign (+, -, A–F, U–Y), three digits and a
# check character. Matched in upper and lower case.
_HETU = re.compile(r"(?<![\w])\d{6}[-+A-FU-Y]\d{3}[0-9A-Y](?![\w])", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def mask_personal_data(text: str) -> str:
    """Identity codes, phone numbers and e-mail addresses replaced by [hetu], [phone], [email]."""
    text = _HETU.sub("[hetu]", text)
    text = _EMAIL.sub("[email]", text)
    return PHONE_PATTERN.sub("[phone]", text)
