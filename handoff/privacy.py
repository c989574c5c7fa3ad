"""Masking personal data in free text before it is stored for content editors."""

import re

# Finnish personal identity code: DDMMYY, a century sign (+, -, A–F, U–Y), three digits and a
# check character. Matched in upper and lower case.
_HETU = re.compile(r"(?<![\w])\d{6}[-+A-FU-Y]\d{3}[0-9A-Y](?![\w])", re.IGNORECASE)
_PHONE = re.compile(r"(?<![\w+])(?:\+358|00358|0)(?:[ -]?\d){6,11}(?!\w)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def mask_personal_data(text: str) -> str:
    """Identity codes, phone numbers and e-mail addresses replaced by [hetu], [phone], [email]."""
    text = _HETU.sub("[hetu]", text)
    text = _EMAIL.sub("[email]", text)
    return _PHONE.sub("[phone]", text)
