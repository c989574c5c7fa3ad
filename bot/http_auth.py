"""The bearer-token check of Neuvo's two bot-side HTTP servers (Rasa's REST channel and the action
server): only the handoff service, and Rasa for the actions, hold the tokens."""

import hmac


def bearer_token_matches(authorization: str | None, token: str) -> bool:
    """True when `authorization` is `Bearer <token>`; never when no token is configured."""
    if not token or not authorization:
        return False
    scheme, _, given = authorization.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), token.encode()
    )
