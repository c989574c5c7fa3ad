"""The action server behind a bearer token: `python -m actions.server --port 5055`.

rasa_sdk's own server (`rasa run actions`) takes any request. This one is the same app
(rasa_sdk.endpoint.create_app, the actions of this package) with every route behind
`Authorization: Bearer <ACTION_SERVER_TOKEN>`, which Rasa sends from endpoints.yml and the
handoff service sends to /health; no CORS (no browser calls it); localhost unless told otherwise.
"""

import argparse
import logging
import os
import sys

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app
from sanic import Sanic

from bot.http_auth import require_bearer_token

TOKEN_VARIABLE = "ACTION_SERVER_TOKEN"
logger = logging.getLogger(__name__)


def protected_app(token: str) -> Sanic:
    """rasa_sdk's action server app, every route behind the token."""
    app = create_app("actions", cors_origins=None)
    app.middleware("request")(require_bearer_token(token, TOKEN_VARIABLE))
    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=5055)
    parser.add_argument("--host", default=os.environ.get("SANIC_HOST", "127.0.0.1"))
    args = parser.parse_args(argv)
    token = os.environ.get(TOKEN_VARIABLE, "")
    if not token:
        print(
            f"error: {TOKEN_VARIABLE} is not set; the action server needs a token", file=sys.stderr
        )
        return 2
    utils.configure_colored_logging("INFO")
    utils.update_sanic_log_level()
    logger.info("action server on http://%s:%s (token required)", args.host, args.port)
    protected_app(token).run(args.host, args.port, workers=1, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
