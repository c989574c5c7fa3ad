"""Unanswered questions: stored masked when the bot falls back, listed for editors with counts."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from handoff.auth.service import ensure_named_token
from handoff.bot.client import BotMessage
from handoff.privacy import mask_personal_data
from tests.handoff.fakes import ScriptedBot

EDITOR = {"Authorization": "Bearer editor-token-0123456789abcdef"}


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("hetuni on 010190-123M", "hetuni on [hetu]"),
        ("henkilötunnus 311299a1236 ja 010101Y123N", "henkilötunnus [hetu] ja [hetu]"),
        ("soita 040 123 4567", "soita [phone]"),
        ("mejla anna.a@example.fi", "mejla [email]"),
        ("vuonna 2024 huoneessa 12", "vuonna 2024 huoneessa 12"),
    ],
)
def test_mask_personal_data(text: str, masked: str) -> None:
    assert mask_personal_data(text) == masked


def test_fallbacks_are_stored_masked_and_counted(
    client: TestClient, bot: ScriptedBot, db: Session
) -> None:
    ensure_named_token(
        db=db, name="editor-eeva", token="editor-token-0123456789abcdef", role="editor"
    )
    bot.replies = [BotMessage(kind="fallback", text="Anteeksi, en ymmärtänyt.")]
    created = client.post("/api/v1/conversations", json={"language": "fi"}).json()
    headers = {"Authorization": f"Bearer {created['token']}"}
    url = f"/api/v1/conversations/{created['conversation_id']}/messages"
    for text in ["Missä on uimahalli?", "missä on  uimahalli", "hetuni 010190-123M, mitä teen"]:
        client.post(url, json={"text": text}, headers=headers)
    bot.replies = [BotMessage(kind="answer", text="Hei!")]
    client.post(url, json={"text": "hei"}, headers=headers)
    listed = client.get("/api/v1/unanswered", headers=EDITOR).json()
    assert listed == [
        {"text": "missä on uimahalli", "language": "fi", "count": 2},
        {"text": "hetuni [hetu], mitä teen", "language": "fi", "count": 1},
    ]
    assert client.get("/api/v1/unanswered", params={"language": "sv"}, headers=EDITOR).json() == []


def test_unanswered_list_needs_an_editor(client: TestClient) -> None:
    assert client.get("/api/v1/unanswered").status_code == 401
