"""Probes, the OpenAPI page, the real Rasa client when Rasa is down, and the bootstrap token."""

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from handoff.auth.models import ApiToken
from handoff.auth.service import BOOTSTRAP_TOKEN_NAME, ensure_bootstrap_token, find_token
from handoff.config import Settings
from handoff.main import create_app
from tests.handoff.conftest import migrate


def test_healthz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_readyz_reports_each_dependency(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "up",
        "rasa": "up",
        "action_server": "up",
    }
    assert all(check["latency_ms"] >= 0 for check in body["checks"].values())


def test_openapi_lists_the_resident_api(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/v1/conversations", "/api/v1/conversations/{conversation_id}/messages"} <= set(
        paths
    )


def test_real_rasa_client_with_rasa_down(tmp_path: Path) -> None:
    """Nothing listens on port 9: readiness is 503 and a message gets the fallback, not a 500."""
    url = f"sqlite:///{tmp_path / 'neuvo.db'}"
    migrate(url)
    settings = Settings(
        database_url=url, rasa_url="http://127.0.0.1:9", action_server_url="http://127.0.0.1:9"
    )
    with TestClient(create_app(settings)) as client:
        ready = client.get("/readyz")
        assert ready.status_code == 503
        checks = ready.json()["checks"]
        assert {name: check["status"] for name, check in checks.items()} == {
            "database": "up",
            "rasa": "down",
            "action_server": "down",
        }
        created = client.post("/api/v1/conversations", json={"language": "sv"}).json()
        headers = {"Authorization": f"Bearer {created['token']}"}
        reply = client.post(
            f"/api/v1/conversations/{created['conversation_id']}/messages",
            json={"text": "hej"},
            headers=headers,
        )
        assert reply.status_code == 200
        assert [m["kind"] for m in reply.json()["messages"]] == ["fallback"]
        transcript = client.get(
            f"/api/v1/conversations/{created['conversation_id']}", headers=headers
        )
        assert [m["sender"] for m in transcript.json()["messages"]] == ["resident", "bot"]


def test_bootstrap_token_is_created_at_startup(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'neuvo.db'}"
    migrate(url)
    token = "a-bootstrap-token-of-enough-length"
    with (
        TestClient(create_app(Settings(database_url=url, HANDOFF_BOOTSTRAP_TOKEN=token))) as client,
        client.app.state.session_factory() as db,
    ):  # type: ignore[attr-defined]
        found = find_token(db=db, token=token)
        assert found is not None and found.role == "admin"


def test_bootstrap_token_is_updated_not_duplicated(db: Session) -> None:
    ensure_bootstrap_token(db=db, token="first-token-value-0123456789")
    ensure_bootstrap_token(db=db, token="second-token-value-0123456789")
    tokens = db.scalars(select(ApiToken).where(ApiToken.name == BOOTSTRAP_TOKEN_NAME)).all()
    assert len(tokens) == 1
    assert find_token(db=db, token="first-token-value-0123456789") is None
    assert find_token(db=db, token="second-token-value-0123456789") is not None


def test_short_bootstrap_token_is_refused() -> None:
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="at least 16 characters"):
        Settings(HANDOFF_BOOTSTRAP_TOKEN="short")
