"""Domain errors and their one mapping to HTTP responses."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse


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


def register_error_handlers(app: FastAPI) -> None:
    async def handle_domain_error(_request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, DomainError)
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(error, Unauthorized) else None
        return JSONResponse(
            {"detail": error.detail}, status_code=error.status_code, headers=headers
        )

    app.add_exception_handler(DomainError, handle_domain_error)


class Conflict(DomainError):
    status_code = 409


class Invalid(DomainError):
    status_code = 422


class Unavailable(DomainError):
    status_code = 503
