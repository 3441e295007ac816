"""Composite resources: /composite, /composite/batch and /composite/graph (REST API Developer Guide,
"Composite Resources"). Each subrequest runs through the door's own routes (sfmock.rest.subrequests), so a
create inside a composite is exactly a single create: same checks, same Sforce-Auto-Assign (the caller's, or
the subrequest's own httpHeaders), and never any assignment mail (REST sends none, KB 000384839).

- /composite: up to 25 subrequests in ONE transaction; `@{ref.path}` references to earlier results; allOrNone
  rolls everything back and reports PROCESSING_HALTED for every other subrequest.
- /composite/batch (v34.0+): up to 25 independent subrequests, each its own API call; haltOnError.
- /composite/graph (v50.0+): sfmock.rest.composite_graph, on the same subrequest machinery.
"""
from __future__ import annotations

import re
from typing import Any

from starlette.responses import Response

from sfmock.core.errors import CallError
from sfmock.rest import bodies, subrequests
from sfmock.rest.context import RestContext
from sfmock.rest.errors import not_found
from sfmock.rest.responses import json_response
from sfmock.rest.sobjects import as_bool

MAX_SUBREQUESTS = 25  # /composite and /composite/batch ("up to 25 subrequests")
BATCH_SINCE = 34.0
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")  # case-sensitive in /composite
_FORBIDDEN_HEADERS = {"accept", "authorization", "content-type"}
_REF_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
REFERENCE = re.compile(r"@\{([A-Za-z][A-Za-z0-9_]*)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}")
_PATH_PART = re.compile(r"\.([A-Za-z0-9_]+)|\[(\d+)\]")
# Entry for the other subrequests of an allOrNone composite that failed (fs 54595906315).
ROLLED_BACK = "The transaction was rolled back since another operation in the same transaction failed."
# [UNCONFIRMED] wording of haltOnError's entries; the status 412 and the code are the guide's.
HALTED = "Batch processing halted per request"
# "Up to 5 of these subrequests can be sObject Collections or query operations, including Query and QueryAll
# requests" (REST API, "Composite"). Tooling resources are not among the composite's targets.
MAX_COLLECTIONS_OR_QUERIES = 5
APOSTROPHE = "\u2019"  # Salesforce's limit messages write "can't" with a typographic apostrophe
_COLLECTION_OR_QUERY = re.compile(r"^/services/data/v[\d.]+/+(query|queryAll|composite/sobjects)(?:[/?]|$)")
_TOOLING = re.compile(r"^/services/data/v[\d.]+/+tooling(?:[/?]|$)")


class LimitExceeded(Exception):
    """A /composite over one of its limits. Salesforce answers in the composite's own shape, one entry with no
    referenceId, as captured from a real org (guardian/support-service-lambdas PR #766: {"compositeResponse":
    [{"body": [{"errorCode": "LIMIT_EXCEEDED", "message": "The request can't contain more than 25
    operations."}], "httpHeaders": {}, "httpStatusCode": 400, "referenceId": null}]}, the apostrophe being
    U+2019). The top-level status is not in the capture; 200, as for every other compositeResponse
    [UNCONFIRMED]."""

    def response(self) -> Response:
        entry = {"body": [{"errorCode": "LIMIT_EXCEEDED", "message": str(self)}], "httpHeaders": {},
                 "httpStatusCode": 400, "referenceId": None}
        return json_response({"compositeResponse": [entry]})


class _Unresolved(Exception):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def halted_body(message: str) -> list[dict[str, str]]:
    return [{"errorCode": "PROCESSING_HALTED", "message": message}]


# --- references ---------------------------------------------------------------------------------------
def _follow(results: dict[str, Any], ref: str, path: str) -> Any:
    """The value `@{ref.path}` names in an earlier subrequest's body: dotted fields and [n] indexes,
    case-sensitive (REST API, "Composite": "You can use two operators ... the . and the []")."""
    if ref not in results:
        raise _Unresolved(f"Invalid reference specified. No value for {ref}{path} found in {ref}. Provided "
                          f"referenceId ('{ref}') must match the referenceId of a preceding subrequest.")
    value = results[ref]
    for field, index in _PATH_PART.findall(path):
        if field and isinstance(value, dict) and field in value:
            value = value[field]
        elif index and isinstance(value, list) and int(index) < len(value):
            value = value[int(index)]
        else:
            # [UNCONFIRMED] wording after the first sentence.
            raise _Unresolved(f"Invalid reference specified. No value for {ref}{path} found in {ref}.")
    return value


def _substitute(value: Any, results: dict[str, Any]) -> Any:
    """References replaced in every string of a url or body; a string that is one whole reference takes the
    referenced value with its JSON type."""
    if isinstance(value, str):
        whole = REFERENCE.fullmatch(value)
        if whole:
            return _follow(results, whole.group(1), whole.group(2))
        return REFERENCE.sub(lambda m: str(_follow(results, m.group(1), m.group(2))), value)
    if isinstance(value, dict):
        return {k: _substitute(v, results) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, results) for v in value]
    return value


# --- /composite ---------------------------------------------------------------------------------------
def checked_requests(requests: Any, most: int, what: str = "compositeRequest") -> list[dict[str, Any]]:
    if not isinstance(requests, list) or not requests or not all(isinstance(r, dict) for r in requests):
        # [UNCONFIRMED] text; the code is what Salesforce's JSON reader reports for a malformed body.
        raise CallError("JSON_PARSER_ERROR", f"The request body must have a non-empty '{what}' array")
    if len(requests) > most:
        raise LimitExceeded(f"The request can{APOSTROPHE}t contain more than {most} operations.")
    seen: set[str] = set()
    for sub in requests:
        method, url, ref = sub.get("method"), sub.get("url"), sub.get("referenceId")
        if method not in _METHODS:
            # [UNCONFIRMED] code and text; the methods are case-sensitive (Composite guide).
            raise CallError("INVALID_REQUEST", f"Invalid method {method!r}: use one of {', '.join(_METHODS)}")
        if not isinstance(url, str) or not url.startswith("/services/data/v") or _TOOLING.match(url):
            # [UNCONFIRMED] text; /composite takes sObject, query and collection resources only (REST API,
            # "Composite": tooling has its own /tooling/composite).
            raise CallError("INVALID_REQUEST", f"The url {url!r} must start with /services/data/vXX.X/ and "
                            "name a resource that composite supports")
        if not isinstance(ref, str) or not _REF_NAME.match(ref) or ref in seen:
            raise CallError("INVALID_REQUEST", f"Invalid referenceId: {ref!r}. A referenceId must be unique "
                            "and start with a letter, followed by letters, numbers or underscores.")
        seen.add(ref)
        headers = sub.get("httpHeaders") or {}
        if not isinstance(headers, dict) or _FORBIDDEN_HEADERS & {str(k).lower() for k in headers}:
            raise CallError("INVALID_REQUEST",
                            "httpHeaders may not set Accept, Authorization or Content-Type")
    return requests


def _check_collections_and_queries(requests: list[dict[str, Any]]) -> None:
    heavy = sum(1 for sub in requests if _COLLECTION_OR_QUERY.match(sub["url"]))
    if heavy > MAX_COLLECTIONS_OR_QUERIES:
        # [UNCONFIRMED] message, worded as the captured 25-operation one; the limit is the guide's.
        raise LimitExceeded(f"The request can{APOSTROPHE}t contain more than {MAX_COLLECTIONS_OR_QUERIES} "
                             "sObject Collections or query operations.")


def _code(status: int, body: Any) -> str:
    """The journal's result of one subrequest: "OK", or the first error's code."""
    if status < 400:
        return "OK"
    first = body[0] if isinstance(body, list) and body and isinstance(body[0], dict) else {}
    return str(first.get("errorCode") or status)


def _entry(sub: dict[str, Any], response: subrequests.SubResponse) -> dict[str, Any]:
    headers = dict(response.headers)
    body = response.body
    if response.status == 201 and isinstance(body, dict) and body.get("id"):
        # "httpHeaders": {"Location": "/services/data/v59.0/sobjects/Account/001…"} (Composite guide example).
        headers.setdefault("Location", f"{sub['url'].split('?')[0].rstrip('/')}/{body['id']}")
    return {"body": body, "httpHeaders": headers, "httpStatusCode": response.status,
            "referenceId": sub["referenceId"]}


def run_composite(ctx: RestContext, call: Any, requests: list[dict[str, Any]],
                  all_or_none: bool) -> list[dict]:
    """The entries of one composite request run in `call`'s transaction; with all_or_none a failure undoes
    everything and every other entry reports PROCESSING_HALTED."""
    results: dict[str, Any] = {}
    entries: list[dict[str, Any]] = []
    failed_at: int | None = None
    try:
        with call.store.savepoint():
            for index, sub in enumerate(requests):
                try:
                    url = _substitute(sub["url"], results)
                    body = _substitute(sub.get("body"), results)
                except _Unresolved as unresolved:
                    entry = {"body": halted_body(unresolved.text), "httpHeaders": {}, "httpStatusCode": 400,
                             "referenceId": sub["referenceId"]}
                else:
                    response = subrequests.run(ctx.request, sub["method"], url, body,
                                               headers=sub.get("httpHeaders") or {}, shared_call=call)
                    entry = _entry(sub, response)
                entries.append(entry)
                if entry["httpStatusCode"] < 400:
                    results[sub["referenceId"]] = entry["body"]
                elif all_or_none:
                    failed_at = index
                    raise _Rollback
    except _Rollback:
        halted = {"body": halted_body(ROLLED_BACK), "httpHeaders": {}, "httpStatusCode": 400}
        entries = [entries[i] if i == failed_at else halted | {"referenceId": sub["referenceId"]}
                   for i, sub in enumerate(requests)]
    return entries


class _Rollback(Exception):
    """Leaves the composite's savepoint so that every subrequest's writes are undone."""


def post_composite(ctx: RestContext) -> Response:
    """POST …/composite {"allOrNone", "collateSubrequests", "compositeRequest": [...]}: always 200 at the
    top."""
    body = bodies.json_object(ctx.request, ctx.body)
    try:
        requests = checked_requests(body.get("compositeRequest"), MAX_SUBREQUESTS)
        _check_collections_and_queries(requests)
    except LimitExceeded as exceeded:
        with ctx.call("composite") as call:  # the session is checked first; the call is journaled
            call.journal.error = "LIMIT_EXCEEDED"
        return exceeded.response()
    all_or_none = as_bool(body.get("allOrNone", False), "allOrNone")
    # collateSubrequests only lets Salesforce group subrequests for speed; results are the same.
    as_bool(body.get("collateSubrequests", False), "collateSubrequests")
    with ctx.call("composite") as call:
        entries = run_composite(ctx, call, requests, all_or_none)
        call.journal.results = [_code(e["httpStatusCode"], e["body"]) for e in entries]
    return json_response({"compositeResponse": entries})


# --- /composite/batch ---------------------------------------------------------------------------------
def post_batch(ctx: RestContext) -> Response:
    """POST …/composite/batch {"batchRequests": [{"method", "url": "v59.0/…", "richInput"}], "haltOnError"}.
    Each subrequest is its own call and transaction; the answer is 200 {"hasErrors", "results"}."""
    if float(ctx.version) < BATCH_SINCE:
        raise not_found()
    body = bodies.json_object(ctx.request, ctx.body)
    requests = body.get("batchRequests")
    if not isinstance(requests, list) or not requests or not all(isinstance(r, dict) for r in requests):
        raise CallError("JSON_PARSER_ERROR", "The request body must have a non-empty 'batchRequests' array")
    if len(requests) > MAX_SUBREQUESTS:
        raise CallError("INVALID_REQUEST", f"Received invalid request. A batch can contain at most "
                        f"{MAX_SUBREQUESTS} subrequests.")  # [UNCONFIRMED] text
    for sub in requests:
        if str(sub.get("method", "")).upper() not in _METHODS or not str(sub.get("url", "")).startswith("v"):
            # Batch urls are relative to /services/data/ ("v59.0/sobjects/Account").
            raise CallError("INVALID_REQUEST",
                            f"Invalid batch subrequest: {sub.get('method')} {sub.get('url')}")
    halt = as_bool(body.get("haltOnError", False), "haltOnError")
    with ctx.call("composite/batch"):
        pass  # the session is checked (401 for the whole batch) before any subrequest runs
    results: list[dict[str, Any]] = []
    halted = False
    for sub in requests:
        if halted:
            results.append({"statusCode": 412, "result": [{"errorCode": "BATCH_PROCESSING_HALTED",
                                                           "message": HALTED}]})
            continue
        response = subrequests.run(ctx.request, str(sub["method"]).upper(), "/services/data/" + sub["url"],
                                   sub.get("richInput"))
        results.append({"statusCode": response.status, "result": response.body})
        halted = halt and response.status >= 400
    return json_response({"hasErrors": any(r["statusCode"] >= 400 for r in results), "results": results})
