"""Masking personal data: identity codes (HETU), IBANs, e-mail addresses and phone numbers.

The property tests build identity codes and IBANs with their own check character and check
digits (the published rules), so they also check that python-stdnum accepts what they make.
"""

import string
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handoff.auth.service import ensure_named_token
from handoff.bot.client import BotMessage
from handoff.conversations.models import ContactRequest, Message
from handoff.conversations.phone import PHONE_PATTERN, is_phone_number
from handoff.feedback.models import Feedback
from handoff.privacy import PHONE_REFERENCE, is_identity_code, mask_for_bot, mask_personal_data
from handoff.tickets.models import Ticket
from tests.handoff.fakes import ScriptedBot

BOT_TOKEN = "action-server-token-0123456789"

HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CENTURY_SIGNS = {1800: "+", 1900: "-YXWVU", 2000: "ABCDEF"}


def hetu_check(day_month_year: str, individual: str) -> str:
    return HETU_CHECK[int(day_month_year + individual) % 31]


@st.composite
def identity_codes(draw: st.DrawFn) -> str:
    """A valid identity code of any century sign (the 2023 ones included), upper or lower case."""
    born = draw(st.dates(min_value=date(1800, 1, 1), max_value=date(2099, 12, 31)))
    sign = draw(st.sampled_from(CENTURY_SIGNS[born.year // 100 * 100]))
    individual = f"{draw(st.integers(min_value=2, max_value=999)):03d}"
    day_month_year = born.strftime("%d%m") + f"{born.year % 100:02d}"
    code = f"{day_month_year}{sign}{individual}{hetu_check(day_month_year, individual)}"
    return code.lower() if draw(st.booleans()) else code


@st.composite
def wrong_identity_codes(draw: st.DrawFn) -> str:
    """An identity code whose check character is not the right one."""
    code = draw(identity_codes())
    wrong = draw(st.sampled_from(HETU_CHECK).filter(lambda c: c != code[-1].upper()))
    return code[:-1] + (wrong.lower() if code[-1].islower() else wrong)


# Country, then the BBAN's parts as (alphabet, length): a few real IBAN formats.
IBAN_FORMATS = {
    "FI": [(string.digits, 14)],
    "DE": [(string.digits, 18)],
    "SE": [(string.digits, 20)],
    "EE": [(string.digits, 16)],
    "DK": [(string.digits, 14)],
    "GB": [(string.ascii_uppercase, 4), (string.digits, 14)],
    "NL": [(string.ascii_uppercase, 4), (string.digits, 10)],
}


def iban_check_digits(country: str, bban: str) -> str:
    """ISO 13616: 98 minus (BBAN + country + 00, letters as 10–35) mod 97."""
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{98 - int(numeric) % 97:02d}"


@st.composite
def ibans(draw: st.DrawFn) -> str:
    """A valid IBAN, compact or in groups of four, upper or lower case."""
    country = draw(st.sampled_from(sorted(IBAN_FORMATS)))
    bban = "".join(
        draw(st.text(alphabet=alphabet, min_size=length, max_size=length))
        for alphabet, length in IBAN_FORMATS[country]
    )
    compact = country + iban_check_digits(country, bban) + bban
    text = (
        " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
        if draw(st.booleans())
        else compact
    )
    return text.lower() if draw(st.booleans()) else text


# Text that cannot hold personal data: no digits, no @.
plain_text = st.text(alphabet=st.characters(exclude_categories=("Nd",), exclude_characters="@"))


@given(code=identity_codes(), before=st.text(), after=st.text())
@example(code="010594Y203F", before="", after="")  # the 2023 signs (Y for the 1900s, …)
@example(code="020505e2013", before="hetu:", after="")  # … E for the 2000s), lower case
@example(code="010594Y9032", before="", after="")  # a temporary code (900–999)
@example(code="131052+308T", before="", after="")  # the 1800s
def test_a_valid_identity_code_is_always_masked(code: str, before: str, after: str) -> None:
    assert is_identity_code(code)
    masked = mask_personal_data(f"{before} {code} {after}")
    assert masked == f"{mask_personal_data(before)} [hetu] {mask_personal_data(after)}"


@given(code=identity_codes(), before=plain_text, after=plain_text)
def test_the_text_around_an_identity_code_is_kept(code: str, before: str, after: str) -> None:
    assert mask_personal_data(f"{before} {code} {after}") == f"{before} [hetu] {after}"


@given(code=wrong_identity_codes())
def test_a_code_with_a_wrong_check_character_is_no_identity_code(code: str) -> None:
    text = f"tunnus {code} kiitos"
    assert "[hetu]" not in mask_personal_data(text)
    assert mask_personal_data(text, keep_phone_numbers=True) == text


@given(account=ibans(), before=st.text(), after=st.text())
@example(account="FI21 1234 5600 0007 85", before="tilini", after="kiitos")
def test_a_valid_iban_is_always_masked(account: str, before: str, after: str) -> None:
    masked = mask_personal_data(f"{before}: {account}. {after}")
    assert masked == f"{mask_personal_data(before)}: [iban]. {mask_personal_data(after)}"


@given(account=ibans())
def test_an_iban_is_masked_among_words(account: str) -> None:
    assert mask_personal_data(f"tilini {account} ja muuta") == "tilini [iban] ja muuta"


def test_an_iban_with_wrong_check_digits_is_kept() -> None:
    assert mask_personal_data("FI22 1234 5600 0007 85") == "FI22 1234 5600 0007 85"


# Pieces of personal data and of their delimiters, glued together in any order: text where
# one mask could make or break another's match.
PERSONAL = ["040 123 4567", "+358401234567", "131052-308T", "010594y203f", "FI21 1234 5600 0007 85"]
PIECES = st.sampled_from(
    [*PERSONAL, "a.b@example.fi", "@", ".", "-", "+", " ", "_", "0", "7", "A", "fi", "x", "["]
)
glued = st.lists(PIECES, max_size=12).map("".join)


@given(text=st.one_of(st.text(), glued))
@example(text="soita 040 123 4567 tai a.b@example.fi, hetu 131052-308T, FI2112345600000785")
@example(text="0000000+358000000")  # the second number is found once the first is a token
def test_masking_is_idempotent(text: str) -> None:
    once = mask_personal_data(text)
    assert mask_personal_data(once) == once
    kept = mask_personal_data(text, keep_phone_numbers=True)
    assert mask_personal_data(kept, keep_phone_numbers=True) == kept


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("hetuni on 131052-308T", "hetuni on [hetu]"),
        ("131052-308U on väärin", "131052-308U on väärin"),
        ("soita 040 123 4567 tai +358 40 123 4567", "soita [phone] tai [phone]"),
        ("mejla anna.a@example.fi", "mejla [email]"),
        ("tili FI21 1234 5600 0007 85.", "tili [iban]."),
        ("konto DE89370400440532013000", "konto [iban]"),
        ("vuonna 2024 huoneessa 12, päätös 2023-123", "vuonna 2024 huoneessa 12, päätös 2023-123"),
    ],
)
def test_mask_personal_data(text: str, masked: str) -> None:
    assert mask_personal_data(text) == masked


def test_phone_numbers_can_be_kept() -> None:
    text = "soita 040 123 4567, hetu 131052-308T, a@b.fi, FI2112345600000785"
    assert mask_personal_data(text, keep_phone_numbers=True) == (
        "soita 040 123 4567, hetu [hetu], [email], [iban]"
    )


@given(text=st.one_of(st.text(), glued))
@example(text="soita 040 123 4567 tai 050-765 4321, hetu 131052-308T")
@example(text="0000000+358000000")
def test_the_bot_sees_the_same_masking_with_phone_references(text: str) -> None:
    """What Rasa gets: masked like the transcript, but each number as [phone:NNNN], the numbers
    returned beside it; nothing left to mask, and masking again changes nothing."""
    for_bot = mask_for_bot(text)
    assert PHONE_REFERENCE.sub("[phone]", for_bot.text) == mask_personal_data(text)
    assert PHONE_PATTERN.search(for_bot.text) is None
    assert mask_for_bot(for_bot.text) == type(for_bot)(text=for_bot.text, phones={})
    for last4, number in for_bot.phones.items():
        assert is_phone_number(number) and number.endswith(last4)
        assert f"[phone:{last4}]" in for_bot.text


def test_mask_for_bot_keeps_the_numbers_by_their_last_digits() -> None:
    for_bot = mask_for_bot("soita 040 123 4567 tai +358 50 765 4321, hetu 131052-308T, a@b.fi")
    assert for_bot.text == "soita [phone:4567] tai [phone:4321], hetu [hetu], [email]"
    assert for_bot.phones == {"4567": "0401234567", "4321": "+358507654321"}


# --- what is stored: the API on both database backends ---

WORDS = "hetu 131052-308T, soita 040 123 4567, anna@example.fi, tili FI21 1234 5600 0007 85"
WORDS_MASKED = "hetu [hetu], soita [phone], [email], tili [iban]"
WORDS_FOR_BOT = "hetu [hetu], soita [phone:4567], [email], tili [iban]"


def start(client: TestClient, language: str = "fi") -> tuple[str, dict[str, str]]:
    created = client.post("/api/v1/conversations", json={"language": language}).json()
    return created["conversation_id"], {"Authorization": f"Bearer {created['token']}"}


def say(client: TestClient, conversation_id: str, headers: dict[str, str], text: str) -> Any:
    return client.post(
        f"/api/v1/conversations/{conversation_id}/messages", json={"text": text}, headers=headers
    )


def test_the_transcript_and_the_bot_get_the_residents_words_masked(
    client: TestClient, bot: ScriptedBot, db: Session
) -> None:
    bot.replies = [BotMessage(kind="question", text="Millä numerolla tavoitamme sinut?")]
    conversation_id, headers = start(client)
    assert say(client, conversation_id, headers, WORDS).status_code == 200
    assert bot.calls[-1]["message"] == WORDS_FOR_BOT  # the service keeps the number
    transcript = client.get(f"/api/v1/conversations/{conversation_id}", headers=headers).json()
    assert [m["text"] for m in transcript["messages"]] == [
        WORDS_MASKED,
        "Millä numerolla tavoitamme sinut?",
    ]
    stored = db.scalars(select(Message.text).where(Message.conversation_id == conversation_id))
    assert all("308T" not in text and "4567" not in text for text in stored if text)


def test_a_contact_request_keeps_the_phone_and_masks_the_description(
    client: TestClient, bot: ScriptedBot, db: Session
) -> None:
    bot.available = False  # the bot is down: a message with a phone becomes a contact request
    conversation_id, headers = start(client)
    reference = say(client, conversation_id, headers, WORDS).json()["ticket"]["reference"]
    [request] = db.scalars(
        select(ContactRequest).where(ContactRequest.conversation_id == conversation_id)
    ).all()
    assert (request.ticket_reference, request.description) == (reference, WORDS_MASKED)
    ticket = db.scalars(select(Ticket).where(Ticket.reference == reference)).one()
    assert ticket.contact_phone == "0401234567"
    assert ticket.resident_words == WORDS_MASKED  # the number is the ticket's contact phone
    assert ticket.need_summary.endswith(WORDS_MASKED)


def test_a_filled_in_contact_request_masks_the_description(client: TestClient, db: Session) -> None:
    conversation_id, headers = start(client, "sv")
    response = client.post(
        f"/api/v1/conversations/{conversation_id}/contact-requests",
        json={"phone": "040 765 4321", "description": f"Min mamma, {WORDS}"},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    [request] = db.scalars(
        select(ContactRequest).where(ContactRequest.conversation_id == conversation_id)
    ).all()
    reference = response.json()["ticket"]["reference"]
    assert (request.ticket_reference, request.description) == (
        reference,
        f"Min mamma, {WORDS_MASKED}",
    )
    ticket = db.scalars(select(Ticket).where(Ticket.reference == reference)).one()
    assert ticket.contact_phone == "0407654321"  # the only place the number is kept


def test_a_ticket_keeps_the_phone_number_in_its_contact_field_only(
    client: TestClient, db: Session
) -> None:
    ensure_named_token(db=db, name="action-server", token=BOT_TOKEN, role="bot")
    response = client.post(
        "/api/v1/tickets",
        json={
            "language": "fi",
            "contact_phone": "040 123 4567",
            "resident_words": f"Äitini asia.\n{WORDS}",
        },
        headers={"Authorization": f"Bearer {BOT_TOKEN}"},
    )
    assert response.status_code == 201, response.text
    ticket = db.scalars(select(Ticket).where(Ticket.reference == response.json()["reference"]))
    stored = ticket.one()
    assert (stored.contact_phone, stored.resident_words) == (
        "0401234567",
        f"Äitini asia.\n{WORDS_MASKED}",
    )


# --- a resident deletes their conversation ---


def test_a_resident_deletes_their_conversation(
    client: TestClient, bot: ScriptedBot, db: Session
) -> None:
    conversation_id, headers = start(client)
    say(client, conversation_id, headers, "äitini ei pärjää kotona")
    bot.available = False
    reference = say(client, conversation_id, headers, WORDS).json()["ticket"]["reference"]
    feedback = client.post(
        f"/api/v1/conversations/{conversation_id}/feedback", json={"rating": 4}, headers=headers
    )
    assert feedback.status_code == 201, feedback.text
    url = f"/api/v1/conversations/{conversation_id}"

    response = client.delete(url, headers=headers)

    assert response.status_code == 204
    assert response.content == b""
    assert client.get(url, headers=headers).status_code == 404
    for model in (Message, ContactRequest, Feedback):
        count = select(func.count()).where(model.conversation_id == conversation_id)
        assert db.scalar(count) == 0, model.__name__
    # The open ticket is the county's record: it stays, with the resident's words, unlinked.
    ticket = db.scalars(select(Ticket).where(Ticket.reference == reference)).one()
    assert (ticket.status, ticket.conversation_id) == ("new", None)
    assert ticket.resident_words == WORDS_MASKED
    assert client.delete(url, headers=headers).status_code == 404


def test_deleting_needs_the_conversations_own_token(client: TestClient) -> None:
    conversation_id, headers = start(client)
    _, other_headers = start(client)
    url = f"/api/v1/conversations/{conversation_id}"
    assert client.delete(url).status_code == 401
    assert client.delete(url, headers=other_headers).status_code == 403
    assert client.delete(url, headers={"Authorization": "Bearer not-a-token"}).status_code == 403
    assert client.delete("/api/v1/conversations/no-such-id", headers=headers).status_code == 404
    assert client.get(url, headers=headers).status_code == 200  # still there
