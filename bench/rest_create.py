"""REST throughput beside a bare FastAPI endpoint, measured in the same run.

    python bench/rest_create.py [--requests 400] [--collections 20] [--database-url URL] [--live]

Scenarios: a single Lead create with the active assignment rule running (Sforce-Auto-Assign absent = TRUE),
a query by Id, and a collection of 200 Leads. Each reports requests/second, p50 and p99 latency, and the
p50 ratio to a bare FastAPI endpoint (`POST /bare` returning a small JSON body) driven the same way: in
process through httpx.ASGITransport by default, or through a real uvicorn on loopback with --live. Numbers, not
assertions: tests never time anything.
"""
from __future__ import annotations

import argparse
import asyncio
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

from app.main import create_app  # noqa: E402
from app.orgs.demo_org import reset  # noqa: E402
from app.persistence.db import Database  # noqa: E402
from app.persistence.migrate import upgrade  # noqa: E402
from app.settings import Settings  # noqa: E402

V = "/services/data/v59.0"
LOGIN = {"grant_type": "password", "client_id": "sfmock-demo-client", "client_secret": "sfmock-demo-secret",
         "username": "admin@acme.example", "password": "sfmock-passwordSFMOCKTOKEN"}


def bare_app() -> FastAPI:
    app = FastAPI()

    @app.post("/bare")
    def bare(payload: dict) -> dict:
        return {"id": "00Q000000000000AAA", "success": True, "errors": []}

    return app


async def measure(count: int, call: Callable[[int], Awaitable[httpx.Response]], expect: int) -> dict[str, float]:
    for i in range(min(10, count)):  # warm-up
        await call(-1 - i)
    times: list[float] = []
    start = time.perf_counter()
    for i in range(count):
        t0 = time.perf_counter()
        response = await call(i)
        times.append(time.perf_counter() - t0)
        if response.status_code != expect:
            raise SystemExit(f"unexpected {response.status_code}: {response.text[:300]}")
    total = time.perf_counter() - start
    times.sort()
    return {"rps": count / total, "p50": statistics.median(times) * 1000,
            "p99": times[min(len(times) - 1, int(len(times) * 0.99))] * 1000}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(app: FastAPI) -> tuple[str, object]:
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


def _client(app: FastAPI, live: bool) -> tuple[httpx.AsyncClient, object | None]:
    if live:
        url, server = _serve(app)
        return httpx.AsyncClient(base_url=url, timeout=60), server
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://127.0.0.1:8443",
                             timeout=60), None


async def run(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="sfmock-bench-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.db'}"
    upgrade(url)
    db = Database(url)
    with db.session() as session:
        reset(session)
    settings = Settings(database_url=url, data_dir=folder)
    rest, rest_server = _client(create_app(settings, db), args.live)
    bare, bare_server = _client(bare_app(), args.live)
    token = (await rest.post("/services/oauth2/token", data=LOGIN)).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    lead = {"LastName": "Bench", "Company": "Acme", "Country": "India"}
    first = (await rest.post(f"{V}/sobjects/Lead/", json=lead, headers=auth)).json()["id"]
    query = {"q": f"SELECT Id, OwnerId, Owner.Name FROM Lead WHERE Id = '{first}'"}
    batch = {"records": [{"attributes": {"type": "Lead"}} | lead for _ in range(200)]}

    results = {
        "bare FastAPI POST": await measure(args.requests, lambda i: bare.post("/bare", json=lead), 200),
        "create Lead (rule runs)": await measure(
            args.requests, lambda i: rest.post(f"{V}/sobjects/Lead/", json=lead, headers=auth), 201),
        "query by Id": await measure(args.requests, lambda i: rest.get(f"{V}/query", params=query, headers=auth), 200),
        "collection of 200": await measure(
            args.collections, lambda i: rest.post(f"{V}/composite/sobjects", json=batch, headers=auth), 200),
    }
    base = results["bare FastAPI POST"]["p50"]
    mode = "uvicorn on loopback" if args.live else "in process (httpx.ASGITransport)"
    print(f"sfmock REST bench, {mode}, {db.engine.dialect.name}")
    print(f"{'scenario':<26}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'p50 / bare':>12}")
    for name, r in results.items():
        print(f"{name:<26}{r['rps']:>10.1f}{r['p50']:>10.2f}{r['p99']:>10.2f}{r['p50'] / base:>12.1f}")
    per_record = results["collection of 200"]["p50"] / 200
    print(f"collection: {per_record:.3f} ms per record ({results['create Lead (rule runs)']['p50'] / per_record:.0f}x "
          "cheaper per record than single creates)")
    await rest.aclose()
    await bare.aclose()
    for server in (rest_server, bare_server):
        if server is not None:
            server.should_exit = True  # type: ignore[attr-defined]
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="requests per single-record scenario")
    parser.add_argument("--collections", type=int, default=20, help="collection requests (200 records each)")
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temporary folder")
    parser.add_argument("--live", action="store_true", help="through uvicorn on loopback instead of in process")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
