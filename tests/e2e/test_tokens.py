"""Rasa's REST channel and the action server take requests only with their tokens (issue 6:
"reachable only from the service and token-protected"); the service's own turns work, as every
other e2e test shows."""

import httpx
import pytest

from tests.e2e.conftest import System

WRONG = {"Authorization": "Bearer not-the-token"}


@pytest.mark.parametrize("headers", [{}, WRONG, {"Authorization": "not-bearer"}])
def test_rasas_rest_channel_needs_the_token(system: System, headers: dict[str, str]) -> None:
    rasa = system.rasa()["urls"][0]
    body = {"sender": "e2e-no-token", "message": "hei"}
    posted = httpx.post(f"{rasa}/webhooks/rest/webhook", json=body, headers=headers, timeout=10)
    assert posted.status_code == 401, posted.text
    assert httpx.get(f"{rasa}/webhooks/rest/", headers=headers, timeout=10).status_code == 401
    # Rasa's own HTTP API: its --auth-token.
    assert httpx.get(f"{rasa}/status", headers=headers, timeout=10).status_code == 401


def test_rasas_rest_channel_answers_with_the_token(system: System) -> None:
    runtime = system.rasa()
    posted = httpx.post(
        f"{runtime['urls'][0]}/webhooks/rest/webhook",
        json={"sender": "e2e-with-token", "message": "hei"},
        headers={"Authorization": f"Bearer {runtime['token']}"},
        timeout=60,
    )
    assert posted.status_code == 200, posted.text
    assert posted.json(), "Rasa answered nothing"


@pytest.mark.parametrize("headers", [{}, WRONG])
@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/health"), ("GET", "/actions"), ("POST", "/webhook")]
)
def test_the_action_server_needs_its_token(
    system: System, headers: dict[str, str], method: str, path: str
) -> None:
    body = {"next_action": "action_create_ticket", "sender_id": "e2e", "tracker": {}, "domain": {}}
    response = httpx.request(
        method,
        f"{system.action_server_url}{path}",
        json=body if method == "POST" else None,
        headers=headers,
        timeout=10,
    )
    assert response.status_code == 401, response.text
