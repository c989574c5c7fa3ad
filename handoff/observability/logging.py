"""The service's logs: one JSON object per line (or plain text), personal data and secrets masked.

Every record that reaches the service's handler passes two filters: RequestContext adds the id of
the request being served, PersonalData masks identity codes, phone numbers, e-mail addresses
(handoff.privacy), bearer tokens, token parameters, cookies and SQL parameters in the message and
in the traceback. Uvicorn's own access log is switched off: the request observer
(handoff.observability.middleware) logs each request with its route template instead of the raw
path and query string.
"""

import json
import logging
import re
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, Literal, TextIO

from handoff.privacy import mask_personal_data

LogFormat = Literal["json", "text"]

# Fields the request observer puts on its records (logger.info(..., extra={...})).
REQUEST_FIELDS = ("request_id", "method", "route", "status", "duration_ms")

request_id_var: ContextVar[str | None] = ContextVar("neuvo_request_id", default=None)

_SECRETS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?i)\b(bearer\s+)[\w.~+/=-]+"), r"\1[token]"),
    (
        re.compile(
            r"(?i)\b((?:access_|auth_|api_|csrf_)?(?:token|key|password|secret)=)[^&\s\"']+"
        ),
        r"\1[redacted]",
    ),
    (
        re.compile(r"(?i)(\"(?:token|password|csrf_token|authorization|cookie)\"\s*:\s*\")[^\"]*"),
        r"\1[redacted]",
    ),
    (re.compile(r"(?im)^((?:set-)?cookie:\s*).*$"), r"\1[redacted]"),
    (re.compile(r"(?i)\b(neuvo_console|neuvo_login_csrf)=[^;\s]+"), r"\1=[redacted]"),
    # SQLAlchemy prints a failed statement's parameters (a resident's words, say) in its errors.
    (re.compile(r"(?m)^(\[parameters: ).*$"), r"\1[redacted]]"),
]


def mask_log_text(text: str) -> str:
    """`text` with personal data (handoff.privacy) and secrets masked."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return mask_personal_data(text)


class PersonalDataFilter(logging.Filter):
    """Masks the formatted message, the traceback and the stack of every record it sees."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: keep the template, drop the arguments
            message = str(record.msg)
        record.msg, record.args = mask_log_text(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_log_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_log_text(record.stack_info)
        return True


class RequestContextFilter(logging.Filter):
    """Adds the id of the request being served (if any) to records that have none."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, the request fields that are set, and the exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in REQUEST_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """A readable line: time, level, logger, message, then the request fields as key=value."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:
        line = super().formatMessage(record)
        fields = [
            f"{name}={getattr(record, name)}"
            for name in REQUEST_FIELDS
            if getattr(record, name, None) is not None
        ]
        return f"{line} [{' '.join(fields)}]" if fields else line


class _StandardErrorHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever sys.stderr is at the time (pytest swaps it between tests)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


def service_handler(log_format: LogFormat) -> logging.Handler:
    """A handler on standard error with the service's format and both filters."""
    handler = _StandardErrorHandler()
    handler.set_name("neuvo")
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    handler.addFilter(RequestContextFilter())
    handler.addFilter(PersonalDataFilter())
    return handler


def configure_logging(log_format: LogFormat, level: str = "INFO") -> None:
    """The service's handler on the root logger (replacing an earlier one of its own), with
    uvicorn's loggers sent through it and uvicorn's access log off."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == "neuvo"]:
        root.removeHandler(handler)
    root.addHandler(service_handler(log_format))
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
    access = logging.getLogger("uvicorn.access")
    access.handlers.clear()
    access.propagate = False
    access.disabled = True
    # httpx logs every request's URL at INFO; the bot's URLs are not news.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("httpx2").setLevel(logging.WARNING)
