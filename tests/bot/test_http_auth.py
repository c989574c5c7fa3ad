"""The token check of Rasa's REST channel and of the action server."""

import pytest

from bot.channels import TokenRestInput
from bot.http_auth import bearer_token_matches


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
