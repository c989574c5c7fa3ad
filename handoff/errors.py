"""Domain errors and their one mapping to HTTP responses."""

from html import escape

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.exc import DataError


class DomainError(Exception):
    status_code = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(DomainError):
    status_code = 404


class Unauthorized(DomainError):
    status_code = 401


class Forbidden(DomainError):
    status_code = 403


def _wants_html(request: Request) -> bool:
    """Console pages opened in a browser get an HTML error page; everything else gets JSON."""
    return request.url.path.startswith("/console") and "text/html" in request.headers.get(
        "accept", ""
    )


def _error_page(error: "DomainError") -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{error.status_code}</title>"
        '<link rel="stylesheet" href="/static/console.css"></head><body><main class="error">'
        f"<h1>{error.status_code}</h1><p>{escape(error.detail)}</p>"
        '<p><a href="/console/">Neuvo</a></p></main></body></html>'
    )


def register_error_handlers(app: FastAPI) -> None:
    async def handle_domain_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, DomainError)
        if _wants_html(request):
            return HTMLResponse(_error_page(error), status_code=error.status_code)
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(error, Unauthorized) else None
        return JSONResponse(
            {"detail": error.detail}, status_code=error.status_code, headers=headers
        )

    app.add_exception_handler(DomainError, handle_domain_error)

    async def handle_unstorable_value(request: Request, _error: Exception) -> Response:
        # PostgreSQL refuses what SQLite takes (a NUL character in a text, say): a bad request.
        unstorable = Invalid("a value cannot be stored: it contains a NUL character or is too big")
        return await handle_domain_error(request, unstorable)

    app.add_exception_handler(DataError, handle_unstorable_value)


class Conflict(DomainError):
    status_code = 409


class Invalid(DomainError):
    status_code = 422


class Unavailable(DomainError):
    status_code = 503
