"""Log records that carry the request they belong to, as text or as one JSON object a line.

Every record gets ``request_id``: the ID of the web request being answered, or of the request
that enqueued the background job being run (see :mod:`heard.jobs.request_ids`), or ``-``.
``HEARD_LOG_FORMAT=json`` writes one JSON object a line for a log collector; the default,
``text``, is for people reading a terminal (``make run``).
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

# The request being answered (or whose job is being run) in this thread or task.
current_request_id: ContextVar[str | None] = ContextVar("heard_request_id", default=None)

# What an incoming X-Request-ID may look like: a proxy's or a client's correlation ID.
# Anything else (too long, spaces, control characters) is replaced, so a log line cannot be
# forged or flooded through the header.
ACCEPTABLE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")

# The attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD_ATTRIBUTES = frozenset(
    logging.LogRecord("", 0, "", 0, "", (), None).__dict__.keys()
    | {"message", "asctime", "request_id", "taskName"}
)


def new_request_id() -> str:
    return uuid.uuid4().hex


def accept_request_id(offered: str | None) -> str:
    """The caller's X-Request-ID if it is a plain token; otherwise a new one."""
    if offered and ACCEPTABLE_REQUEST_ID.fullmatch(offered):
        return offered
    return new_request_id()


class RequestIdFilter(logging.Filter):
    """Puts the current request ID on every record (``-`` outside any request or job)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request_id, and any extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id.get() or "-",
            "process": record.process,
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def logging_config(*, log_format: str, level: str, access_log: bool) -> dict[str, Any]:
    """Django's LOGGING for the chosen format; every handler adds the request ID."""
    if log_format not in {"text", "json"}:
        raise ValueError(f"HEARD_LOG_FORMAT must be 'text' or 'json', not {log_format!r}.")
    formatter: dict[str, Any] = (
        {"()": "heard.core.logs.JsonFormatter"} if log_format == "json" else {"format": TEXT_FORMAT}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "heard.core.logs.RequestIdFilter"}},
        "formatters": {"heard": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": "heard",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # One line for each request answered (method, path, status, duration), with its ID.
            "heard.request": {"level": "INFO" if access_log else "WARNING"},
        },
    }
