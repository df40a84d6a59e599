"""Request ids and log lines.

Every HTTP request gets an id: the caller's `X-Request-ID` when it is a plain token (letters, digits, `.`,
`_`, `-`, at most 64), else a new one, 16 hex digits counted from a random start drawn once per process
(unique without asking the system's random source on every request: an id is a reference, not a secret).
It is sent back in the `X-Request-ID` response header, shown on error pages and written on every log line
logged while the request runs (`[id]`, or a `request_id` key in JSON logs with `SOCLE_LOG_JSON=1`); lines
outside any request show `-`."""

from __future__ import annotations

import itertools
import json
import logging
import re
import secrets
import time
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from core.config import Settings

REQUEST_ID: ContextVar[str] = ContextVar("socle_request_id", default="-")
# One line per request when `socle serve --access-log` (INFO), written here rather than by the server so that
# it carries the request id like every other line.
ACCESS = logging.getLogger("socle.access")
_VALID = re.compile(rb"[A-Za-z0-9._-]{1,64}")
_NEXT_ID = itertools.count(secrets.randbits(64))
_ID_MASK = (1 << 64) - 1
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"


def current_request_id() -> str:
    return REQUEST_ID.get()


class RequestIdMiddleware:
    """Plain ASGI around the whole Litestar app (so 404s of unknown paths have an id too); costs one
    header scan and one extra header. `headers_for(scope)` gives more headers for each response start (the
    security headers, core.web.security): added by this one wrapper of `send` rather than a `before_send`
    hook, which would wrap it once more on every request."""

    __slots__ = ("app", "headers_for")

    def __init__(self, app: Any, headers_for: Callable[[Any], Sequence[tuple[bytes, bytes]]] | None = None) -> None:
        self.app = app
        self.headers_for = headers_for or (lambda scope: ())

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = ""
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                if _VALID.fullmatch(value):
                    request_id = value.decode()
                break
        request_id = request_id or f"{next(_NEXT_ID) & _ID_MASK:016x}"
        header = (b"x-request-id", request_id.encode())
        headers_for = self.headers_for
        status = 0

        async def send_with_id(message: Any) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), header, *headers_for(scope)]
            await send(message)

        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if ACCESS.isEnabledFor(logging.INFO):
                client = scope.get("client") or ("-", 0)
                ACCESS.info('%s "%s %s" %s %.1f ms', client[0], scope["method"], scope["path"], status or 500,
                            (time.perf_counter() - started) * 1000)
            REQUEST_ID.reset(token)


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record that reaches a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id[, exception]."""

    def format(self, record: logging.LogRecord) -> str:
        data = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
                "level": record.levelname, "logger": record.name, "message": record.getMessage(),
                "request_id": getattr(record, "request_id", REQUEST_ID.get())}
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


def logging_config(settings: Settings, *, access_log: bool = False) -> dict[str, Any]:
    """A `logging.config.dictConfig` for the socle processes (also given to the server, whose own loggers then
    write through the same handler): text or JSON on stderr, request ids on every line, one access line
    per request with `access_log`."""
    formatter = {"()": JsonFormatter} if settings.log_json else {"format": TEXT_FORMAT}
    level = "DEBUG" if settings.debug else "INFO"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"socle": formatter},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "socle", "filters": ["request_id"],
                                "stream": "ext://sys.stderr"}},
        "loggers": {**{name: {"handlers": [], "propagate": True} for name in ("uvicorn", "uvicorn.error",
                                                                             "uvicorn.access", "granian")},
                    "socle.access": {"level": "INFO" if access_log else "WARNING"}},
        "root": {"handlers": ["stderr"], "level": level},
    }


def configure_logging(settings: Settings, *, access_log: bool = False) -> None:
    import logging.config

    logging.config.dictConfig(logging_config(settings, access_log=access_log))
