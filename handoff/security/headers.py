"""Security headers on every response: no sniffing, no referrer, a Content-Security-Policy on HTML
pages, HSTS over HTTPS, and no caching of anything but the static files."""

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
HSTS = "max-age=31536000"

# The demo page and the console load scripts and styles from /static only, with no inline code.
_SELF_ONLY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors {frame_ancestors}"
)
PAGE_CSP = _SELF_ONLY.format(frame_ancestors="'self'")
CONSOLE_CSP = _SELF_ONLY.format(frame_ancestors="'none'")
# FastAPI's /docs and /redoc pages load Swagger UI and ReDoc from their CDN with an inline script.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src 'self' https://fonts.gstatic.com; "
    "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly; "
    "worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
DOCS_PATHS = ("/docs", "/redoc")


def content_security_policy(path: str) -> str:
    """The CSP of an HTML page at `path`."""
    if path == "/console" or path.startswith("/console/"):
        return CONSOLE_CSP
    if path in DOCS_PATHS or path.startswith("/docs/"):
        return DOCS_CSP
    return PAGE_CSP


class SecurityHeadersMiddleware:
    """Adds the headers to the start of every HTTP response, whoever produced it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "no-referrer"
                headers["Permissions-Policy"] = PERMISSIONS_POLICY
                if scope.get("scheme") == "https":
                    headers["Strict-Transport-Security"] = HSTS
                if not path.startswith("/static/"):
                    headers["Cache-Control"] = "no-store"
                if headers.get("content-type", "").startswith("text/html"):
                    headers["Content-Security-Policy"] = content_security_policy(path)
                    console = path == "/console" or path.startswith("/console/")
                    headers["X-Frame-Options"] = "DENY" if console else "SAMEORIGIN"
            await send(message)

        await self.app(scope, receive, send_with_headers)
