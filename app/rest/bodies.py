"""Request bodies: read once (chunked or not), size-limited, gzip-decoded, then parsed as JSON or a form."""
from __future__ import annotations

import json
import math
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request

from sfmock.core.errors import CallError
from sfmock.request_body import BodyError, read_body
from sfmock.rest.errors import json_parser_error


def too_large(limit: int) -> CallError:
    # Salesforce refuses oversized requests; the exact text is [UNCONFIRMED], the shape is the error array.
    return CallError("REQUEST_ENTITY_TOO_LARGE", f"Request body exceeds the maximum size of {limit} bytes")


async def read(request: Request, limit: int) -> bytes:
    """The whole body, decoded from Content-Encoding gzip (REST API "Compression Headers"), at most `limit`
    bytes."""
    try:
        return await read_body(request, limit)
    except BodyError as error:
        if error.kind == "too_large":
            raise too_large(limit) from None
        if error.kind == "undecodable":
            raise CallError("JSON_PARSER_ERROR", "Could not read the gzip-compressed request body") from None
        raise CallError("UNSUPPORTED_MEDIA_TYPE",
                        f"Content-Encoding {error.detail} is not supported") from None


def _position(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, column


class _NotANumber(ValueError):
    """A number JSON (RFC 8259 §6) does not have, or one a double cannot hold."""


def _refuse_constant(token: str) -> Any:
    # Python's json reads NaN, Infinity and -Infinity; JSON has no such tokens and Salesforce's reader
    # (Jackson) refuses them by default. Jackson's wording, without its position [UNCONFIRMED as Salesforce's
    # text].
    raise _NotANumber(f"Non-standard token '{token}': enable JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS to "
                      f"allow")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        # 1e400 overflows a double to Infinity, which no field can hold [UNCONFIRMED: Salesforce's answer].
        raise _NotANumber(f"Numeric value ({text}) out of range of double")
    return value


def parse_json(body: bytes) -> Any:
    """The JSON document; malformed input is 400 JSON_PARSER_ERROR with Jackson-style position text. Only
    finite numbers: NaN, Infinity and numbers a double cannot hold are refused the same way."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise json_parser_error("Invalid UTF-8 in the request body") from None
    if not text.strip():
        raise json_parser_error("No content to map due to end-of-input")
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except RecursionError:
        # A hostile body nested thousands deep: refused as unreadable JSON, never a 500.
        raise json_parser_error("JSON nested too deeply") from None
    except json.JSONDecodeError as exc:
        line, column = _position(text, exc.pos)
        raise json_parser_error(f"Unexpected character ('{text[exc.pos:exc.pos + 1]}') at [line:{line}, "
                                f"column:{column}]") from None
    except _NotANumber as exc:
        raise json_parser_error(str(exc)) from None
    except ValueError:
        # An integer of more digits than Python converts (sys.get_int_max_str_digits): unreadable, never a
        # 500.
        raise json_parser_error("Numeric value out of range") from None


def check_json_type(request: Request) -> None:
    """415 for a body that is declared as something other than JSON (REST API: JSON or XML only)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind and kind != "application/json" and not kind.endswith("+json") and kind not in ("text/json",):
        if kind in ("application/xml", "text/xml"):
            # Salesforce also speaks XML; sfmock does not [deliberate gap].
            raise CallError("UNSUPPORTED_MEDIA_TYPE", "XML request bodies are not supported by sfmock")
        raise CallError("UNSUPPORTED_MEDIA_TYPE", f"Content-Type header specified in HTTP request is not "
                           f"supported: {kind}")


def json_object(request: Request, body: bytes) -> dict[str, Any]:
    """A JSON object body (an sObject or a collection request)."""
    check_json_type(request)
    data = parse_json(body)
    if not isinstance(data, dict):
        kind = "START_ARRAY" if isinstance(data, list) else "VALUE"
        raise json_parser_error(f"Cannot deserialize instance of object out of {kind} token at [line:1, "
                                f"column:1]")
    return data


def form(body: bytes) -> dict[str, str]:
    """application/x-www-form-urlencoded fields (the last value wins when one repeats)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("latin-1")
    return dict(parse_qsl(text, keep_blank_values=True))
