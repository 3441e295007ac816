"""How the REST door (and Bulk 2.0, which lives under the same /services/data) finds a resource by its path.

FastAPI 0.165 walks every route of an included router twice per request (once to match, once to handle), and
the routers before it too: with the REST door's 120 routes that was 0.15 to 0.3 ms of a 1.2 ms call. Here a
door's resources sit in a RouteTable, and the app has one catch-all FastAPI route per top path
(/services/data, /services/oauth2, /id) that asks the tables, in the order the doors were mounted (Bulk 2.0's
before the REST door's, whose fallbacks answer Salesforce's 404 for anything else under /services). A table
tries only the resources with as many '/' as the path (a path parameter never holds one), in the order they
were added, then those ending in a {name:path} parameter: the answer is the one FastAPI's scan would have
found."""
from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI
from starlette._utils import get_route_path
from starlette.convertors import Convertor, PathConvertor
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import compile_path

Endpoint = Callable[[Request], Awaitable[Response]]
# (order added, pattern, its convertors, endpoint)
Entry = tuple[int, re.Pattern[str], dict[str, Convertor[Any]], Endpoint]
_METHODS = ["GET", "HEAD", "POST", "PATCH", "PUT", "DELETE", "OPTIONS"]


class RouteTable:
    """One door's resources by path."""

    def __init__(self) -> None:
        self._fixed: dict[int, list[Entry]] = {}  # by the number of '/' in the path
        self._open: list[Entry] = []  # ending in a {name:path} parameter
        self._tried: dict[int, list[Entry]] = {}  # what a path with that many '/' tries, in order
        self.paths: list[str] = []  # in the order added
        self._endpoints: list[Endpoint] = []

    def add(self, path: str, endpoint: Endpoint) -> None:
        pattern, _, convertors = compile_path(path)
        entry: Entry = (len(self.paths), pattern, convertors, endpoint)
        self.paths.append(path)
        self._endpoints.append(endpoint)
        if any(isinstance(c, PathConvertor) for c in convertors.values()):
            self._open.append(entry)
        else:
            self._fixed.setdefault(path.count("/"), []).append(entry)
        self._tried.clear()

    def endpoint_of(self, path: str) -> Endpoint:
        """The endpoint added for exactly this path."""
        return self._endpoints[self.paths.index(path)]

    def find(self, path: str) -> tuple[Endpoint, dict[str, Any]] | None:
        """The endpoint and path parameters of the first resource whose path matches, else None."""
        slashes = path.count("/")
        tried = self._tried.get(slashes)
        if tried is None:
            tried = self._tried[slashes] = sorted(self._fixed.get(slashes, []) + self._open,
                                                  key=lambda entry: entry[0])
        for _, pattern, convertors, endpoint in tried:
            found = pattern.match(path)
            if found:
                return endpoint, {k: convertors[k].convert(v) for k, v in found.groupdict().items()}
        return None


class PathSpace:
    """The app's route tables behind their catch-all routes (app.state.path_space)."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.tables: list[RouteTable] = []
        self._tops: set[str] = set()

    @classmethod
    def of(cls, app: FastAPI) -> PathSpace:
        space = getattr(app.state, "path_space", None)
        if space is None:
            space = app.state.path_space = cls(app)
        return space

    def add(self, table: RouteTable) -> None:
        """Serves `table`'s paths from here on, after the tables added before it."""
        self.tables.append(table)
        for path in table.paths:
            top = _top(path)
            if top not in self._tops:
                self._tops.add(top)
                for route in (top, top + "/{rest:path}"):
                    self.app.add_api_route(route, self.dispatch, methods=_METHODS, include_in_schema=False)

    def find(self, path: str) -> tuple[Endpoint, dict[str, Any]] | None:
        for table in self.tables:
            found = table.find(path)
            if found is not None:
                return found
        return None

    async def dispatch(self, request: Request) -> Response:
        found = self.find(get_route_path(request.scope))
        if found is None:
            raise HTTPException(404)  # as when no route matched (sfmock.fallbacks answers it)
        endpoint, params = found
        request.scope["path_params"] = params
        return await endpoint(request)


def _top(path: str) -> str:
    """/services/data for /services/data/v{version}/…; /id for /id/{org_id}/{user_id}."""
    parts = path.split("/")
    literal = [p for p in parts[1:3] if "{" not in p]
    if len(parts) > 2 and len(literal) == 2:
        return "/" + "/".join(parts[1:3])
    return "/" + parts[1]
