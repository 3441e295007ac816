"""A real sfmock server in a subprocess on free ports, with a throwaway database and the demo org (started by
the pytest plugin's own launcher, sfmock.pytest_plugin.start_server)."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from sfmock.pytest_plugin import SfmockOrg, SfmockServer, start_server, stop_server
from tests.databases import backends, throwaway_database


@dataclass
class LiveServer(SfmockServer):
    db_url: str = ""

    def outbox(self, **filters: str) -> list[dict]:
        response = httpx.get(f"{self.http_url}/_sfmock/outbox", params=filters, timeout=30)
        response.raise_for_status()
        return response.json()

    def clear_outbox(self) -> None:
        httpx.delete(f"{self.http_url}/_sfmock/outbox", timeout=30).raise_for_status()

    def reset(self) -> None:
        httpx.post(f"{self.http_url}/_sfmock/reset", timeout=60).raise_for_status()


@pytest.fixture(scope="session", params=backends())
def live_server(request: pytest.FixtureRequest,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("live")
    with throwaway_database(request.param, folder) as db_url:
        started = start_server(folder, db_url, args=("--load-demo-if-empty",))
        server = LiveServer(**{name: getattr(started, name) for name in started.__dataclass_fields__},
                            db_url=db_url)
        try:
            yield server
        finally:
            stop_server(server)


@pytest.fixture
def fresh_server(live_server: LiveServer) -> LiveServer:
    """The live server reset to the demo org (empty outbox) before the test."""
    live_server.reset()
    return live_server


@pytest.fixture
def live_org(live_server: LiveServer) -> Iterator[SfmockOrg]:
    """A new org (the demo's definition, its own logins) on the live server, deleted after the test."""
    created = live_server.create_org()
    try:
        yield created
    finally:
        created.delete()
