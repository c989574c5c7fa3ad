"""The log files that the whole system wrote during the end-to-end run hold no identity code,
phone number, IBAN or token, and Rasa's tracker store holds no identity code, phone number, IBAN
or e-mail address (issue 6: masked in Rasa trackers and logs). Runs last, after every other
end-to-end test has written its share (the hand-offs gave 040 123 4567 and 040 765 4321)."""

import re
import sqlite3
import time

import httpx

from tests.e2e.conftest import ADMIN, ADMIN_TOKEN, System, say, start

HETU = "131052-308T"  # a valid identity code (check character T)
PHONE = "040 765 4321"
IBAN = "FI21 1234 5600 0007 85"


def test_logs_hold_no_personal_data_or_tokens(system: System) -> None:
    conversation_id, headers = start(system, "fi")
    say(
        system,
        (conversation_id, headers),
        f"henkilötunnukseni on {HETU}, puhelin {PHONE} ja tili {IBAN}",
    )
    say(system, (conversation_id, headers), f"{HETU.lower()} sähköposti maija@example.fi")
    assert httpx.get(f"{system.url}/api/v1/tickets", headers=ADMIN, timeout=10).status_code == 200
    time.sleep(1)  # let the processes flush their logs
    resident_token = headers["Authorization"].removeprefix("Bearer ")
    forbidden = {
        "identity code": re.compile(re.escape(HETU), re.IGNORECASE),
        "phone number": re.compile(r"040[ -]?765[ -]?4321"),
        "IBAN": re.compile(r"FI21\s?1234\s?5600\s?0007\s?85"),
        "e-mail address": re.compile(re.escape("maija@example.fi")),
        "admin token": re.compile(re.escape(ADMIN_TOKEN)),
        "resident token": re.compile(re.escape(resident_token)),
    }
    logs = sorted((system.var_dir / "log").glob("*.log"))
    assert logs, "no log files were written"
    found = [
        f"{log.name}: {what}"
        for log in logs
        for what, pattern in forbidden.items()
        if pattern.search(log.read_text(errors="replace"))
    ]
    assert found == [], f"personal data or tokens in the logs: {found}"


def test_rasas_trackers_hold_no_personal_data(system: System) -> None:
    conversation_id, headers = start(system, "fi")
    say(system, (conversation_id, headers), f"hetu {HETU}, soita {PHONE}, maija@example.fi, {IBAN}")
    store = system.var_dir / "rasa_trackers.db"
    with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as db:
        # The bot's own messages are the county's words (the phone question's example number).
        events = [row[0] for row in db.execute("SELECT data FROM events WHERE type_name != 'bot'")]
    assert len(events) > 100, "the e2e run left too few tracker events to prove anything"
    mine = "\n".join(row for row in events if '"event": "user"' in row and "[phone:4321]" in row)
    assert "[hetu]" in mine and "[email]" in mine and "[iban]" in mine  # what Rasa got instead
    forbidden = {
        "identity code": re.compile(re.escape(HETU), re.IGNORECASE),
        "phone number": re.compile(r"0?40[ -]?(?:765[ -]?4321|123[ -]?4567)"),
        "IBAN": re.compile(r"FI21\s?1234\s?5600\s?0007\s?85"),
        "e-mail address": re.compile(re.escape("maija@example.fi")),
    }
    found = {what for what, pattern in forbidden.items() for row in events if pattern.search(row)}
    assert found == set(), f"personal data in Rasa's tracker store: {sorted(found)}"


def test_rasa_logs_no_errors_for_button_payloads(system: System) -> None:
    """Rasa's response interpolation once took a payload's {"entity": …} for a slot placeholder
    and logged an ERROR on every button question; the domain's doubled braces avoid it."""
    logs = sorted((system.var_dir / "log").glob("rasa*.log"))
    assert logs, "no Rasa log files were written"
    noisy = [
        log.name for log in logs if "slot name does not exist" in log.read_text(errors="replace")
    ]
    assert noisy == [], f"Rasa logged interpolation errors in {noisy}"
