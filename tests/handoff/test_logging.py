"""Structured logs: one JSON object per line with the request's fields, and no personal data,
tokens or cookies in them, whatever the requests carried."""

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from handoff.bot.client import BotMessage, BotUnavailable
from handoff.config import Settings
from handoff.deps import get_db
from handoff.main import create_app
from handoff.observability.logging import (
    JsonFormatter,
    PersonalDataFilter,
    configure_logging,
    mask_log_text,
)
from tests.handoff.fakes import ScriptedBot

# Valid identity codes (check characters computed), the 2023 century signs and lower case too.
IDENTITY_CODES = ["131052-308T", "010594Y9032", "290200A1239", "150315b235j"]
PHONES = ["040 123 4567", "+358401234567", "0451234567"]
EMAIL = "maija.meikalainen@example.fi"
MESSAGE_WORD = "kumquatmarker"  # a word of a resident's message: no message text is ever logged
COOKIE = "cookie-value-that-must-not-be-logged"
RASA_TOKEN = "rasa-api-token-that-must-not-be-logged"


class LeakyBot(ScriptedBot):
    """Fails with personal data in its error (not the message: no code puts a resident's words in
    an error), which the service logs."""

    def send(self, *, conversation_id: str, message: str, language: str) -> list[BotMessage]:
        self.calls.append({"conversation_id": conversation_id, "message": message})
        raise BotUnavailable(f"Rasa refused the message of {IDENTITY_CODES[0]}")


class CrashingBot(ScriptedBot):
    def send(self, *, conversation_id: str, message: str, language: str) -> list[BotMessage]:
        raise RuntimeError(f"unexpected: {EMAIL} / {PHONES[1]}")


def app_client(settings: Settings, db: Session, bot: ScriptedBot) -> TestClient:
    app = create_app(settings, bot=bot)

    def test_db() -> Iterator[Session]:
        yield db

    app.dependency_overrides[get_db] = test_db
    return TestClient(app, raise_server_exceptions=False)


def json_lines(output: str) -> list[dict[str, Any]]:
    lines = [line for line in output.splitlines() if line.strip()]
    assert lines, "nothing was logged"
    return [json.loads(line) for line in lines]


def secrets_in(output: str, secrets: list[str]) -> list[str]:
    return [secret for secret in secrets if secret.casefold() in output.casefold()]


def test_requests_with_personal_data_and_tokens_leave_none_in_the_log(
    settings: Settings, db: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = settings.model_copy(update={"log_format": "json", "log_level": "DEBUG"})
    personal = f"hetu {IDENTITY_CODES[0]}, {IDENTITY_CODES[3]}, soita {PHONES[0]} tai {EMAIL}"
    with app_client(settings, db, LeakyBot()) as client:
        capsys.readouterr()
        created = client.post("/api/v1/conversations", json={"language": "fi"}).json()
        conversation_id, token = created["conversation_id"], created["token"]
        headers = {"Authorization": f"Bearer {token}"}
        messages = f"/api/v1/conversations/{conversation_id}/messages"
        assert client.post(messages, json={"text": f"{MESSAGE_WORD} {personal}"}, headers=headers)
        client.post(messages, json={"text": f"{MESSAGE_WORD} {PHONES[1]}"}, headers=headers)
        client.get(
            f"/api/v1/conversations/{conversation_id}?token={token}&hetu={IDENTITY_CODES[1]}",
            headers=headers,
        )
        client.post(
            f"/api/v1/conversations/{conversation_id}/contact-requests",
            json={"phone": PHONES[2], "description": f"{MESSAGE_WORD} {IDENTITY_CODES[2]}"},
            headers=headers,
        )
        client.get(f"/api/v1/tickets/{IDENTITY_CODES[1]}", headers=headers)
        client.get("/console/", headers={"Cookie": f"neuvo_console={COOKIE}"})
        client.post(
            "/console/login",
            data={"username": EMAIL, "password": IDENTITY_CODES[0], "csrf_token": COOKIE},
        )
        logging.getLogger("httpx").warning(
            "HTTP Request: GET http://127.0.0.1:5005/status?token=%s", RASA_TOKEN
        )
        output = capsys.readouterr().err

    assert (
        secrets_in(
            output,
            [
                *IDENTITY_CODES,
                *PHONES,
                EMAIL,
                MESSAGE_WORD,
                token,
                COOKIE,
                RASA_TOKEN,
                conversation_id,
            ],
        )
        == []
    )
    entries = json_lines(output)
    turn = [
        e for e in entries if e.get("route") == "/api/v1/conversations/{conversation_id}/messages"
    ]
    assert len(turn) == 2
    assert {key: turn[0][key] for key in ("logger", "level", "method", "status")} == {
        "logger": "handoff.access",
        "level": "INFO",
        "method": "POST",
        "status": 200,
    }
    assert turn[0]["duration_ms"] >= 0 and len(turn[0]["request_id"]) >= 8
    # The bot's failure was logged (masked) with the id of the request it happened in.
    failure = next(e for e in entries if e["message"].startswith("bot unavailable"))
    assert "[hetu]" in failure["message"] and failure["request_id"] == turn[0]["request_id"]
    assert {e["route"] for e in entries if "route" in e} >= {
        "/api/v1/conversations",
        "/api/v1/conversations/{conversation_id}",
        "/api/v1/conversations/{conversation_id}/contact-requests",
        "/api/v1/tickets/{reference}",
        "/console/",
        "/console/login",
    }


def test_an_unhandled_error_is_logged_once_masked_with_its_request_id(
    settings: Settings, db: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = settings.model_copy(update={"log_format": "json"})
    with app_client(settings, db, CrashingBot()) as client:
        created = client.post("/api/v1/conversations").json()
        capsys.readouterr()
        response = client.post(
            f"/api/v1/conversations/{created['conversation_id']}/messages",
            json={"text": f"{MESSAGE_WORD} {EMAIL}"},
            headers={"Authorization": f"Bearer {created['token']}"},
        )
        output = capsys.readouterr().err
    assert response.status_code == 500
    assert secrets_in(output, [EMAIL, PHONES[1], MESSAGE_WORD, created["token"]]) == []
    entries = json_lines(output)
    errors = [e for e in entries if "exception" in e]
    assert len(errors) == 1
    assert "RuntimeError: unexpected: [email] / [phone]" in errors[0]["exception"]
    assert errors[0]["request_id"] == response.headers["x-request-id"]


def test_text_format_is_one_readable_line_per_request(
    settings: Settings, db: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = settings.model_copy(update={"log_format": "text"})
    with app_client(settings, db, ScriptedBot()) as client:
        capsys.readouterr()
        client.post("/api/v1/conversations")
        output = capsys.readouterr().err
    line = next(line for line in output.splitlines() if "handoff.access" in line)
    assert "INFO handoff.access: POST /api/v1/conversations 201 [request_id=" in line
    assert "route=/api/v1/conversations status=201 duration_ms=" in line


def test_a_callers_request_id_is_kept_and_a_bad_one_replaced(client: TestClient) -> None:
    given = client.get("/healthz", headers={"X-Request-ID": "proxy-id-0123456789"})
    assert given.headers["x-request-id"] == "proxy-id-0123456789"
    forged = client.get("/healthz", headers={"X-Request-ID": "040 123 4567 <script>"})
    assert forged.headers["x-request-id"] != "040 123 4567 <script>"


def test_uvicorns_access_log_is_off_and_its_errors_go_through_the_filters(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("json")
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/1.1" %d', "10.0.0.1", "GET", f"/x?hetu={IDENTITY_CODES[0]}", 200
    )
    logging.getLogger("uvicorn.error").error("client %s said %s", EMAIL, PHONES[0])
    output = capsys.readouterr().err
    assert secrets_in(output, [IDENTITY_CODES[0], EMAIL, PHONES[0], "10.0.0.1"]) == []
    (entry,) = json_lines(output)
    assert entry == {
        "time": entry["time"],
        "level": "ERROR",
        "logger": "uvicorn.error",
        "message": "client [email] said [phone]",
    }


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("Authorization: Bearer abc.DEF-123_x~", "Authorization: Bearer [token]"),
        ("GET /status?token=s3cr3t&x=1", "GET /status?token=[redacted]&x=1"),
        (
            '{"token": "abc", "conversation_id": "c"}',
            '{"token": "[redacted]", "conversation_id": "c"}',
        ),
        ("Cookie: neuvo_console=abc; other=1", "Cookie: [redacted]"),
        ("set neuvo_console=abc; Path=/console", "set neuvo_console=[redacted]; Path=/console"),
        (
            "[SQL: INSERT INTO messages (text) VALUES (?)]\n[parameters: ('hei minä olen Maija',)]",
            "[SQL: INSERT INTO messages (text) VALUES (?)]\n[parameters: [redacted]]",
        ),
        (f"asukas {IDENTITY_CODES[1]} numerosta {PHONES[1]}", "asukas [hetu] numerosta [phone]"),
    ],
)
def test_mask_log_text(raw: str, masked: str) -> None:
    assert mask_log_text(raw) == masked


def test_the_filter_masks_arguments_and_tracebacks() -> None:
    record = logging.LogRecord(
        "handoff.test", logging.ERROR, __file__, 1, "resident %s wrote", (IDENTITY_CODES[2],), None
    )
    try:
        raise ValueError(f"bad phone {PHONES[0]}")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    assert PersonalDataFilter().filter(record)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "resident [hetu] wrote"
    assert "bad phone [phone]" in entry["exception"]
    assert secrets_in(json.dumps(entry), [IDENTITY_CODES[2], PHONES[0]]) == []
