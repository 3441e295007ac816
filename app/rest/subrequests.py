"""Runs one REST subrequest of a composite call through the door's own routes, in-process.

The subrequest is routed exactly as a request from a client would be (same handlers, same error array), with
the caller's headers (Authorization, Sforce-Auto-Assign) merged with the subrequest's `httpHeaders`. When the
composite call shares one transaction (/composite, /composite/graph, REST API "Composite"), the shared unit of
work travels in the request scope and RestContext.call runs the handler inside a savepoint of it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import anyio.from_thread
from starlette.requests import Request

from sfmock.rest.responses import dumps

# The scope key RestContext.call looks for (the composite's shared ApiCall).
SHARED_CALL = "sfmock.shared_call"
_DROPPED = {b"content-length", b"content-type", b"transfer-encoding", b"content-encoding"}


@dataclass
class SubResponse:
    status: int
    headers: dict[str, str]
    body: Any  # the parsed JSON body, or None for an empty one


def run(outer: Request, method: str, url: str, body: Any = None, *, headers: dict[str, str] | None = None,
        shared_call: Any = None) -> SubResponse:
    """Called from a worker thread (the composite handler's): hops to the event loop to run the route."""
    return anyio.from_thread.run(_run, outer, method, url, body, headers or {}, shared_call)


async def _run(outer: Request, method: str, url: str, body: Any, extra: dict[str, str],
               shared_call: Any) -> SubResponse:
    parts = urlsplit(url)
    raw_body = b"" if body is None else dumps(body)
    header_list = [(k, v) for k, v in outer.scope["headers"] if k.lower() not in _DROPPED]
    names = {k.lower().encode("latin-1") for k in extra}
    header_list = [(k, v) for k, v in header_list if k.lower() not in names]
    header_list += [(k.lower().encode("latin-1"), str(v).encode("latin-1")) for k, v in extra.items()]
    header_list += [(b"content-type", b"application/json"), (b"content-length", str(len(raw_body)).encode())]
    scope = dict(outer.scope)
    scope.update({"method": method, "path": parts.path, "raw_path": parts.path.encode("utf-8"),
                  "query_string": parts.query.encode("latin-1"), "headers": header_list})
    scope.pop("route", None)
    scope.pop("endpoint", None)
    scope[SHARED_CALL] = shared_call
    found = outer.app.state.rest_routes.find(parts.path)
    if found is None:
        from sfmock.rest.errors import NOT_FOUND_MESSAGE

        return SubResponse(404, {}, [{"errorCode": "NOT_FOUND", "message": NOT_FOUND_MESSAGE}])
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": raw_body, "more_body": False}

    endpoint, scope["path_params"] = found
    response = await endpoint(Request(scope, receive))
    content = bytes(response.body or b"")
    parsed = json.loads(content) if content else None
    wanted = {k: v for k, v in response.headers.items() if k.lower() == "location"}
    return SubResponse(response.status_code, wanted, parsed)
