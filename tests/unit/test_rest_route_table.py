"""The REST and Bulk 2.0 resources found by RouteTable/PathSpace are the ones FastAPI's ordered scan of the
same routes would find: for every path each door serves (its parameters filled in), for paths one segment
longer or shorter, and for paths under no resource (the REST door's fallback, Salesforce's 404)."""
from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.routing import compile_path

from sfmock import bulk, rest
from sfmock.rest.route_table import PathSpace, RouteTable
from sfmock.settings import Settings


@pytest.fixture(scope="module")
def space() -> PathSpace:
    app = FastAPI()
    app.state.settings = Settings()
    app.state.db = None
    bulk.mount(app)  # as sfmock.main mounts them: Bulk 2.0 first
    rest.mount(app)
    return PathSpace.of(app)


def _scan(space: PathSpace, path: str) -> Any:
    """What a FastAPI-style scan finds: the first route, table after table, in the order added."""
    for table in space.tables:
        for route in table.paths:
            if compile_path(route)[0].match(path):
                return route
    return None


def _samples(space: PathSpace) -> list[str]:
    paths: list[str] = []
    for table in space.tables:
        for route in table.paths:
            filled = re.sub(r"\{version\}", "59.0", route)
            filled = re.sub(r"\{[a-z_]+:path\}", "a/b/c", filled)
            filled = re.sub(r"\{[a-z_]+\}", "Lead", filled)
            paths += [filled, filled.rstrip("/") + "/extra", filled.rsplit("/", 1)[0] or "/"]
    return [*paths, "/services/data/v59.0/nothing/here", "/services/oauth2/nope", "/id/x", "/id"]


def test_every_path_finds_what_the_ordered_scan_finds(space: PathSpace) -> None:
    samples = _samples(space)
    assert len(samples) > 300
    for path in samples:
        expected = _scan(space, path)
        found = space.find(path)
        if expected is None:
            assert found is None, path
            continue
        assert found is not None, path
        table = next(t for t in space.tables if expected in t.paths)
        assert found[0] is table.endpoint_of(expected), (path, expected)


def test_bulk_jobs_reach_bulk_and_other_data_paths_the_rest_door() -> None:
    app = FastAPI()
    app.state.settings = Settings()
    app.state.db = None
    bulk.mount(app)
    rest.mount(app)
    space = PathSpace.of(app)
    bulk_table, rest_table = space.tables
    found = space.find("/services/data/v59.0/jobs/ingest/750000000000001AAA")
    ingest = bulk_table.endpoint_of("/services/data/v{version}/jobs/ingest/{job_id}")
    assert found is not None and found[0] is ingest
    assert found[1] == {"version": "59.0", "job_id": "750000000000001AAA"}
    found = space.find("/services/data/v59.0/jobs/elsewhere")
    assert found is not None and found[0] is rest_table.endpoint_of("/services/data/{rest:path}")


def test_a_table_keeps_the_order_resources_were_added() -> None:
    table = RouteTable()

    async def first(request: Any) -> Any: ...

    async def second(request: Any) -> Any: ...

    table.add("/x/{rest:path}", first)
    table.add("/x/{name}", second)
    assert table.find("/x/y") == (first, {"rest": "y"})
