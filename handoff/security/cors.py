"""Cross-origin access for the chat widget only.

The widget is embedded on the county's pages (another origin) and calls the resident chat API
with a bearer token and without cookies. Only those paths answer cross-origin requests, and only
for the configured origins; the console and the advisor API never do.
"""

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

CORS_PATH_PREFIXES = ("/api/v1/conversations", "/api/v1/widget/texts")
ALLOWED_METHODS = ["GET", "POST", "DELETE"]
ALLOWED_HEADERS = ["Authorization", "Content-Type", "Accept", "X-Request-ID"]
EXPOSED_HEADERS = ["Retry-After", "X-Request-ID"]


def is_cors_path(path: str) -> bool:
    return any(path == prefix or path.startswith(prefix + "/") for prefix in CORS_PATH_PREFIXES)


def valid_origin(origin: str) -> str:
    """An origin as browsers send it: scheme://host[:port], no path, no trailing slash."""
    origin = origin.strip().rstrip("/")
    if origin == "*":
        return origin
    scheme, separator, rest = origin.partition("://")
    if scheme not in ("http", "https") or not separator or not rest or "/" in rest:
        raise ValueError(f"not an origin (scheme://host[:port]): {origin!r}")
    return origin


class WidgetCORSMiddleware:
    """Starlette's CORS handling, applied to the widget's paths and nothing else."""

    def __init__(self, app: ASGIApp, *, origins: list[str]) -> None:
        self.app = app
        self.cors = CORSMiddleware(
            app,
            allow_origins=origins,
            allow_methods=ALLOWED_METHODS,
            allow_headers=ALLOWED_HEADERS,
            expose_headers=EXPOSED_HEADERS,
            allow_credentials=False,
            max_age=600,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and is_cors_path(scope["path"]):
            await self.cors(scope, receive, send)
            return
        await self.app(scope, receive, send)
