"""The token check of Rasa's REST channel and of the action server."""

import asyncio
import json
from types import SimpleNamespace

import pytest

from bot.channels import TokenRestInput
from bot.http_auth import bearer_token_matches, require_bearer_token


@pytest.mark.parametrize(
    ("authorization", "token", "matches"),
    [
        ("Bearer s3cret-token", "s3cret-token", True),
        ("bearer s3cret-token", "s3cret-token", True),
        ("Bearer s3cret-token ", "s3cret-token", True),
        ("Bearer s3cret-tokeN", "s3cret-token", False),
        ("Bearer s3cret", "s3cret-token", False),
        ("Basic s3cret-token", "s3cret-token", False),
        ("s3cret-token", "s3cret-token", False),
        ("", "s3cret-token", False),
        (None, "s3cret-token", False),
        ("Bearer ", "", False),  # no token configured: nothing gets in
        ("Bearer", "", False),
    ],
)
def test_bearer_token_matches(authorization: str | None, token: str, matches: bool) -> None:
    assert bearer_token_matches(authorization, token) is matches


def test_the_channel_takes_its_token_from_credentials_or_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RASA_AUTH_TOKEN", "from-the-environment")
    assert TokenRestInput.from_credentials(None).token == "from-the-environment"
    assert TokenRestInput.from_credentials({"token": "configured"}).token == "configured"
    assert TokenRestInput.name() == "rest"  # the REST channel's URL: /webhooks/rest/webhook


def test_the_middleware_lets_the_token_through_and_refuses_the_rest() -> None:
    check = require_bearer_token("s3cret-token", "SOME_TOKEN")

    def run(headers: dict[str, str]):  # type: ignore[no-untyped-def]
        return asyncio.run(check(SimpleNamespace(headers=headers)))  # type: ignore[arg-type]

    assert run({"authorization": "Bearer s3cret-token"}) is None
    refused = run({"authorization": "Bearer wrong"})
    assert refused.status == 401
    assert json.loads(refused.body) == {"error": "send Authorization: Bearer <SOME_TOKEN>"}
    assert run({}).status == 401
