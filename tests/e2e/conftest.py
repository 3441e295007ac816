"""A real sfmock server in a subprocess on free ports, with a throwaway database and the demo org."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from app.settings import PROJECT_ROOT
from tests.databases import backends, throwaway_database


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveServer:
    http_url: str
    https_url: str
    ca_file: Path
    db_url: str
    log_file: Path

    def outbox(self, **filters: str) -> list[dict]:
        response = httpx.get(f"{self.http_url}/_sfmock/outbox", params=filters, timeout=30)
        response.raise_for_status()
        return response.json()

    def clear_outbox(self) -> None:
        httpx.delete(f"{self.http_url}/_sfmock/outbox", timeout=30).raise_for_status()

    def reset(self) -> None:
        httpx.post(f"{self.http_url}/_sfmock/reset", timeout=60).raise_for_status()


def _wait(url: str, process: subprocess.Popen, log_file: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"sfmock exited early:\n{log_file.read_text()}")
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"sfmock did not answer in time:\n{log_file.read_text()}")


@pytest.fixture(scope="session", params=backends())
def live_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("live")
    with throwaway_database(request.param, folder) as db_url:
        http_port, https_port = free_port(), free_port()
        env = os.environ | {
            "SFMOCK_DATABASE_URL": db_url, "SFMOCK_PORT": str(http_port), "SFMOCK_HTTPS_PORT": str(https_port),
            "SFMOCK_DATA_DIR": str(folder / "data"), "SFMOCK_HOST": "127.0.0.1",
        }
        log_file = folder / "server.log"
        with log_file.open("w") as log:
            process = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--load-demo-if-empty"],
                                       cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            server = LiveServer(f"http://127.0.0.1:{http_port}", f"https://127.0.0.1:{https_port}",
                                folder / "data" / "tls" / "ca.pem", db_url, log_file)
            _wait(server.http_url, process, log_file)
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def fresh_server(live_server: LiveServer) -> LiveServer:
    """The live server reset to the demo org (empty outbox) before the test."""
    live_server.reset()
    return live_server
