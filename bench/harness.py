"""What both benchmarks share: a demo database, clients in process or over loopback, timing and the report.

Numbers are ratios against a bare FastAPI endpoint measured in the same run; tests never time anything."""
from __future__ import annotations

import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
from fastapi import FastAPI

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sfmock.orgs.demo_org import reset
from sfmock.persistence.db import Database
from sfmock.persistence.migrate import upgrade
from sfmock.settings import Settings

Call = Callable[[int], Awaitable[httpx.Response]]


def demo_database(url: str | None) -> tuple[Database, Settings]:
    """A migrated database (a fresh SQLite file unless `url`) holding the demo org."""
    folder = Path(tempfile.mkdtemp(prefix="sfmock-bench-"))
    url = url or f"sqlite:///{folder / 'bench.db'}"
    upgrade(url)
    db = Database(url)
    with db.session() as session:
        reset(session)
    return db, Settings(database_url=url, data_dir=folder)


async def measure(count: int, call: Call, ok: Callable[[httpx.Response], bool]) -> dict[str, float]:
    for i in range(min(10, count)):  # warm-up
        await call(-1 - i)
    times: list[float] = []
    start = time.perf_counter()
    for i in range(count):
        t0 = time.perf_counter()
        response = await call(i)
        times.append(time.perf_counter() - t0)
        if not ok(response):
            raise SystemExit(f"unexpected {response.status_code}: {response.text[:300]}")
    total = time.perf_counter() - start
    times.sort()
    return {"rps": count / total, "p50": statistics.median(times) * 1000,
            "p99": times[min(len(times) - 1, int(len(times) * 0.99))] * 1000}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Clients:
    """httpx clients for apps, in process (ASGITransport) or through uvicorn on loopback (`live`)."""

    def __init__(self, live: bool) -> None:
        self.live = live
        self._clients: list[httpx.AsyncClient] = []
        self._servers: list[object] = []

    def client(self, app: FastAPI) -> httpx.AsyncClient:
        if self.live:
            import uvicorn

            port = _free_port()
            server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                                   lifespan="off"))
            threading.Thread(target=server.run, daemon=True).start()
            while not server.started:
                time.sleep(0.05)
            self._servers.append(server)
            client = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60)
        else:
            client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:8000",
                                       timeout=60)
        self._clients.append(client)
        return client

    @property
    def mode(self) -> str:
        return "uvicorn on loopback" if self.live else "in process (httpx.ASGITransport)"

    async def close(self) -> None:
        for client in self._clients:
            await client.aclose()
        for server in self._servers:
            server.should_exit = True  # type: ignore[attr-defined]


def report(title: str, results: dict[str, dict[str, float]], base: str) -> None:
    """One line per scenario: requests/second, p50, p99 and the p50 ratio to the bare endpoint."""
    width = max(len(name) for name in results) + 2
    print(title)
    print(f"{'scenario':<{width}}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'p50 / bare':>12}")
    for name, r in results.items():
        print(f"{name:<{width}}{r['rps']:>10.1f}{r['p50']:>10.2f}{r['p99']:>10.2f}"
              f"{r['p50'] / results[base]['p50']:>12.1f}")
