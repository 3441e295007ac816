"""REST errors: the JSON array [{"message","errorCode","fields"?}] with Salesforce's HTTP status.

Salesforce REST API Developer Guide, "Status Codes and Error Responses": the body of every failure is an array
of error objects; a record failure (DML) carries `fields`, a call failure (session, resource, query) does not.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from sfmock.core.errors import CallError, QueryError, RecordsLocked, SalesforceError
from sfmock.soql import diagnostics

log = logging.getLogger("sfmock.rest")

NOT_FOUND_MESSAGE = "The requested resource does not exist"
INVALID_SESSION_MESSAGE = "Session expired or invalid"

# Call-level codes whose HTTP status is not 400 (errorcodes page: 401 bad session, 403 refused incl.
# REQUEST_LIMIT_EXCEEDED, 404 missing resource, 405 bad method, 413/415 bad body, 500 server error).
_STATUS = {
    "INVALID_SESSION_ID": 401,
    "REQUEST_LIMIT_EXCEEDED": 403,
    "INSUFFICIENT_ACCESS": 403,
    "API_DISABLED_FOR_ORG": 403,
    "NOT_FOUND": 404,
    "ENTITY_IS_DELETED": 404,
    "METHOD_NOT_ALLOWED": 405,
    "REQUEST_ENTITY_TOO_LARGE": 413,
    "UNSUPPORTED_MEDIA_TYPE": 415,
    "UNKNOWN_EXCEPTION": 500,
    "SERVER_UNAVAILABLE": 503,
}


def item(code: str, message: str, fields: Sequence[str] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"message": message, "errorCode": code}
    if fields is not None:
        out["fields"] = list(fields)
    return out


def status_for(code: str) -> int:
    return _STATUS.get(code, 400)


class RestError(SalesforceError):
    """A failure of a REST call in wire shape: an HTTP status and the error array. Handlers raise the core's
    errors (CallError, RecordError) and `from_exception` renders them here, in the one place the door maps
    errors; it stays a SalesforceError so that one raised inside a call is journaled with its code."""

    def __init__(self, status: int, errors: list[dict[str, Any]],
                 headers: dict[str, str] | None = None) -> None:
        first = errors[0] if errors else {}
        super().__init__(first.get("errorCode", str(status)), first.get("message", str(status)),
                         first.get("fields") or ())
        self.args = (first.get("message", str(status)),)
        self.status = status
        self.errors = errors
        self.headers = headers or {}

    @classmethod
    def of(cls, code: str, message: str, fields: Sequence[str] | None = None,
           status: int | None = None) -> RestError:
        return cls(status or status_for(code), [item(code, message, fields)])

    @classmethod
    def from_record_errors(cls, errors: Iterable[SalesforceError]) -> RestError:
        """A single-record write that failed: status from the first error, every error with its fields."""
        errors = list(errors)
        status = status_for(errors[0].code) if errors else 400
        return cls(status, [item(e.code, e.message, e.fields) for e in errors])


def not_found() -> CallError:
    return CallError("NOT_FOUND", NOT_FOUND_MESSAGE)


def invalid_session() -> CallError:
    return CallError("INVALID_SESSION_ID", INVALID_SESSION_MESSAGE)


def json_parser_error(message: str) -> CallError:
    return CallError("JSON_PARSER_ERROR", message)


def method_not_allowed(method: str, allowed: Sequence[str]) -> CallError:
    # Text seen from real orgs: "HTTP Method 'PATCH' not allowed. Allowed are HEAD,GET,POST".
    return CallError("METHOD_NOT_ALLOWED",
                     f"HTTP Method '{method}' not allowed. Allowed are {','.join(allowed)}")


def query_message(error: QueryError, soql: str) -> str:
    """Salesforce prefixes a SOQL error with the statement, a caret and the position (REST and SOAP alike)."""
    return diagnostics.query_message(error, soql)


def from_exception(exc: BaseException, *, soql: str | None = None) -> RestError:
    """Any exception as a RestError; unknown ones are logged and become UNKNOWN_EXCEPTION (never a
    traceback)."""
    if isinstance(exc, RestError):
        return exc
    if isinstance(exc, QueryError):
        message = query_message(exc,
                                soql) if soql is not None and exc.code == "MALFORMED_QUERY" else exc.message
        return RestError.of(exc.code, message)
    if isinstance(exc, RecordsLocked):
        # A single-record write that could not lock its record: the record's error, with its (empty) fields.
        return RestError.from_record_errors([RecordsLocked.for_records(1)])
    if isinstance(exc, CallError):
        if exc.code == "INVALID_SESSION_ID":
            return RestError.of(exc.code, INVALID_SESSION_MESSAGE)
        return RestError.of(exc.code, exc.message)
    if isinstance(exc, SalesforceError):
        return RestError.from_record_errors([exc])
    log.exception("unexpected error in a REST call", exc_info=exc)
    return RestError.of("UNKNOWN_EXCEPTION",
                        "An unexpected error occurred. Please include this ErrorId if you "
                        "contact support: sfmock. See the server log for details.")
