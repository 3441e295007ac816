"""JSON responses as Salesforce sends them, and Python values written the way its JSON writes them."""
from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime
from typing import Any

from starlette.responses import Response

# Salesforce answers `Content-Type: application/json;charset=UTF-8` (jsforce only checks the prefix).
JSON_TYPE = "application/json;charset=UTF-8"


def format_datetime(value: datetime) -> str:
    """2013-05-20T20:49:32.000+0000: milliseconds and an offset without a colon (REST API, "Valid Date and
    DateTime Formats" / every record read)."""
    value = value.astimezone(UTC) if value.tzinfo else value
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}+0000"


def json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _default(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return json_value(value)
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def _finite(data: Any) -> Any:
    """`data` with every NaN or infinite float as null."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {key: _finite(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_finite(value) for value in data]
    return data


def dumps(data: Any) -> bytes:
    """Strict JSON: NaN and Infinity are no JSON (RFC 8259 §6) and Salesforce's fields cannot hold them, so a
    non-finite float that reached a response anyway (the request reader and the core refuse them) is written
    as null rather than as a token clients cannot parse. The walk happens only when the fast path refuses.
    A lone surrogate (echoed from a request's "\\ud800") has no UTF-8 form: such a document is written with
    \\uXXXX escapes throughout, which every JSON reader takes, so that an error response always renders."""
    try:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_default, allow_nan=False)
    except ValueError:
        data = _finite(data)
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_default, allow_nan=False)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(data, ensure_ascii=True, separators=(",", ":"), default=_default,
                          allow_nan=False).encode("ascii")


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(dumps(data), status_code=status, headers=headers, media_type=JSON_TYPE)


def no_content(headers: dict[str, str] | None = None) -> Response:
    return Response(status_code=204, headers=headers)


def error_response(status: int, errors: list[dict[str, Any]],
                   headers: dict[str, str] | None = None) -> Response:
    return json_response(errors, status, headers)
