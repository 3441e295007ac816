"""The REST door's routing: one route per resource (with and without the trailing slash), dispatch by method,
Salesforce's 404/405 bodies, and one place where every exception becomes the JSON error array.

Everything here is scoped to the routes this router adds (/services/data, /services/oauth2): the SOAP door
keeps its own fault format.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response

from sfmock.call_lanes import run_call
from sfmock.core.faults import ConnectionDrop
from sfmock.drops import dropped
from sfmock.rest import bodies
from sfmock.rest.context import RestContext
from sfmock.rest.errors import from_exception, method_not_allowed, not_found
from sfmock.rest.headers import limit_info
from sfmock.rest.responses import error_response
from sfmock.rest.route_table import PathSpace, RouteTable
from sfmock.rest.subrequests import SHARED_CALL

log = logging.getLogger("sfmock.rest")
Handler = Callable[..., Response]
# The order Salesforce lists allowed methods in ("Allowed are HEAD,GET,POST").
_ORDER = ("HEAD", "GET", "POST", "PATCH", "PUT", "DELETE")
_ALL = ["GET", "HEAD", "POST", "PATCH", "PUT", "DELETE", "OPTIONS"]
_BODY_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})


class RestRouter:
    def __init__(self) -> None:
        self.table = RouteTable()

    def mount(self, app: FastAPI) -> None:
        """Serves the resources added so far on `app`, after those of the doors mounted before."""
        PathSpace.of(app).add(self.table)

    def resource(self, path: str, *, versioned: bool = True, override: bool = False,
                 body_limit: int | None = None, quick: bool = False,
                 **handlers: Handler) -> None:
        """Registers `path` (and its trailing-slash twin) with one handler per method (get=, post=, patch=,
        delete=). Handlers are plain functions `(ctx, **path_params) -> Response`, run in the thread pool.
        `override`: POST ?_HttpMethod=PATCH runs the PATCH handler (REST API, for clients without PATCH).
        `body_limit`: the largest body this resource reads (default: settings.max_body_bytes). `quick`: its
        handlers run on the event loop when they can without waiting (sfmock.call_lanes), for the calls
        connectors make most; never for a handler that runs subrequests (they wait for the loop)."""
        by_method = {name.upper(): fn for name, fn in handlers.items()}
        endpoint = self._endpoint(by_method, versioned=versioned, override=override, body_limit=body_limit,
                                  quick=quick)
        paths = [path]
        if versioned:
            # REST API "Versions": "you can use `latest` in the URI to resolve to the most recently released
            # API version" (/services/data/latest/...).
            paths.append(path.replace("v{version}", "latest"))
        for base in paths:
            for variant in (base.rstrip("/") or "/", base.rstrip("/") + "/"):
                if variant not in self.table.paths:
                    self.table.add(variant, endpoint)

    def fallback(self, prefix: str) -> None:
        """Any other path under `prefix`: 404 NOT_FOUND as Salesforce answers it, never Starlette's text."""
        endpoint = self._endpoint({m: _not_found for m in _ALL}, versioned=False, override=False)
        self.table.add(prefix, endpoint)
        self.table.add(prefix + "/{rest:path}", endpoint)

    @staticmethod
    def _endpoint(by_method: dict[str, Handler], *, versioned: bool, override: bool,
                  body_limit: int | None = None, quick: bool = False) -> Callable[..., Any]:
        allowed = [m for m in _ORDER if m in by_method or (m == "HEAD" and "GET" in by_method)]

        async def endpoint(request: Request) -> Response:
            state = request.app.state
            ctx = RestContext(request, settings=state.settings, db=getattr(state, "db", None))
            try:
                method = request.method
                if method == "POST" and override and "_HttpMethod" in request.query_params:
                    method = request.query_params["_HttpMethod"].upper()
                if method == "HEAD":
                    method = "GET"
                params = dict(request.path_params)
                if versioned:
                    ctx.version = params.pop("version", None) or state.settings.api_versions()[-1]
                    if not state.settings.supports_version(ctx.version):
                        # Unsupported version: 404 NOT_FOUND (what Salesforce answers for
                        # /services/data/v9.0/).
                        raise not_found()
                handler = by_method.get(method)
                if handler is None:
                    raise method_not_allowed(request.method, allowed)
                if request.method in _BODY_METHODS:
                    ctx.body = await bodies.read(request, body_limit or state.settings.max_body_bytes)
                # A composite's subrequest never: it may run inside the composite's transaction, where a
                # second run would repeat its statements.
                response = await run_call(ctx.db, quick and SHARED_CALL not in request.scope, handler, ctx,
                                          **params)
            except ConnectionDrop as drop:
                return await dropped(request, drop)
            except Exception as exc:  # noqa: BLE001 - the one place every failure becomes the error array
                error = from_exception(exc)
                log.info("REST error %s %s", error.status, error.code)
                response = error_response(error.status, error.errors, error.headers)
            if ctx.usage is not None:
                response.headers["Sforce-Limit-Info"] = limit_info(ctx.usage)
            return response

        return endpoint


def _not_found(ctx: RestContext, **_: Any) -> Response:
    raise not_found()
