"""Logging: the level (SFMOCK_LOG_LEVEL, info by default so that SOAP and REST faults show), text or JSON
lines (SFMOCK_LOG_FORMAT), and one access-log line per request with the org, door and operation it reached."""
from __future__ import annotations

import contextvars
import json
import logging
import sys
import time
from datetime import UTC, datetime
from typing import Any

access = logging.getLogger("sfmock.access")
# What the request reached, filled in by sfmock.calls once the call is authenticated (org, door, operation).
_CALL: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar("sfmock_call", default=None)
ACCESS_FIELDS = ("method", "path", "status", "ms", "org", "door", "operation")
_HANDLER_NAME = "sfmock"


MASKED = frozenset({"authorization", "cookie", "proxy-authorization"})


def request_headers() -> dict[str, str] | None:
    """The current request's HTTP headers as they arrived (credentials masked), or None outside a request."""
    found = _CALL.get()
    return None if found is None else dict(found.get("headers") or {})


def note_call(**fields: Any) -> None:
    """Adds what the API call learnt (org, door, operation) to the current request's access-log line."""
    found = _CALL.get()
    if found is not None:
        found.update({k: v for k, v in fields.items() if v})


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, the access fields when present, the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str,
                  Any] = {"time": datetime.fromtimestamp(record.created,
                                                         UTC).isoformat(timespec="milliseconds"),
                               "level": record.levelname.lower(), "logger": record.name,
                               "message": record.getMessage()}
        out |= {k: getattr(record, k) for k in ACCESS_FIELDS if getattr(record, k, None) is not None}
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out)


def configure(level: str = "info", fmt: str = "text") -> None:
    """Sets up the `sfmock` loggers once per process (called by the server, sfmock.asgi)."""
    root = logging.getLogger("sfmock")
    root.setLevel(level.upper())
    if any(h.get_name() == _HANDLER_NAME for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(JsonFormatter() if fmt == "json" else
                         logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.propagate = False


def _door(path: str) -> str | None:
    if path.startswith("/services/Soap/"):
        return "soap"
    if path.startswith(("/services/data", "/services/oauth2", "/id/")):
        return "rest"
    if path.startswith("/_sfmock"):
        return "admin"
    return None


class AccessLog:
    """ASGI wrapper: one info line per HTTP request, written when the response has been sent."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = {}
        for raw_name, raw_value in scope.get("headers") or ():
            name = raw_name.decode("latin-1")
            headers[name] = "***" if name.lower() in MASKED else raw_value.decode("latin-1")
        call: dict[str, Any] = {"door": _door(scope["path"]), "headers": headers}
        status: list[int] = []

        async def sending(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
            await send(message)

        token = _CALL.set(call)
        try:
            await self.app(scope, receive, sending)
        finally:
            _CALL.reset(token)
            fields = {"method": scope["method"], "path": scope["path"],
                      "status": status[0] if status else None,
                      "ms": round((time.perf_counter() - started) * 1000, 1), "org": call.get("org"),
                      "door": call.get("door"), "operation": call.get("operation")}
            access.info("%s %s %s %.1fms org=%s door=%s operation=%s", *(fields[k] for k in ACCESS_FIELDS),
                        extra=fields)
