"""SOAP throughput beside a bare FastAPI endpoint, measured in the same run.

    python bench/soap_create.py [--requests 400] [--batches 20] [--database-url URL] [--live]

Scenarios: a 1-record Lead create carrying SessionHeader + AssignmentRuleHeader(useDefaultRule) + EmailHeader
(triggerUserEmail: the enterprise rule entry mails the queue and its members), a 200-record create with the same
headers, and getServerTimestamp (the door, the session check and LimitInfoHeader, no record work). Each reports
requests/second, p50 and p99 latency and the p50 ratio to a bare FastAPI endpoint (`POST /bare` answering a small
XML body) driven the same way: in process through httpx.ASGITransport by default, or through a real uvicorn on
loopback with --live. Numbers, not assertions: tests never time anything.
"""
from __future__ import annotations

import argparse
import asyncio
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import Response

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.main import create_app  # noqa: E402
from app.orgs.demo_org import reset  # noqa: E402
from app.persistence.db import Database  # noqa: E402
from app.persistence.migrate import upgrade  # noqa: E402
from app.settings import Settings  # noqa: E402

SOAP = "/services/Soap/u/59.0"
XML = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'}
LEAD = ("<u:sObjects><o:type>Lead</o:type><o:LastName>Bench</o:LastName><o:Company>Acme</o:Company>"
        "<o:Country>India</o:Country><o:AnnualRevenue>20000000</o:AnnualRevenue></u:sObjects>")


def envelope(body: str, session: str = "") -> str:
    headers = "" if not session else (
        f"<u:SessionHeader><u:sessionId>{session}</u:sessionId></u:SessionHeader>"
        "<u:AssignmentRuleHeader><u:useDefaultRule>true</u:useDefaultRule></u:AssignmentRuleHeader>"
        "<u:EmailHeader><u:triggerAutoResponseEmail>false</u:triggerAutoResponseEmail><u:triggerOtherEmail>false"
        "</u:triggerOtherEmail><u:triggerUserEmail>true</u:triggerUserEmail></u:EmailHeader>")
    return ('<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/'
            'envelope/" xmlns:u="urn:partner.soap.sforce.com" xmlns:o="urn:sobject.partner.soap.sforce.com">'
            f"<soapenv:Header>{headers}</soapenv:Header><soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>")


def bare_app() -> FastAPI:
    app = FastAPI()

    @app.post("/bare")
    async def bare(request: Request) -> Response:
        await request.body()
        return Response(b'<?xml version="1.0" encoding="UTF-8"?><ok/>', media_type="text/xml;charset=UTF-8")

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
        if response.status_code != expect or b"<success>false</success>" in response.content:
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
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:8000",
                             timeout=60), None


async def run(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="sfmock-bench-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.db'}"
    upgrade(url)
    db = Database(url)
    with db.session() as session:
        reset(session)
    settings = Settings(database_url=url, data_dir=folder)
    soap, soap_server = _client(create_app(settings, db), args.live)
    bare, bare_server = _client(bare_app(), args.live)
    login = envelope("<u:login><u:username>admin@acme.example</u:username>"
                     "<u:password>sfmock-passwordSFMOCKTOKEN</u:password></u:login>")
    answer = await soap.post(SOAP, content=login, headers=XML)
    session = re.search(r"<sessionId>([^<]+)</sessionId>", answer.text).group(1)
    one = envelope(f"<u:create>{LEAD}</u:create>", session)
    batch = envelope(f"<u:create>{LEAD * 200}</u:create>", session)
    stamp = envelope("<u:getServerTimestamp/>", session)

    def post(client: httpx.AsyncClient, path: str, body: str) -> Callable[[int], Awaitable[httpx.Response]]:
        return lambda i: client.post(path, content=body, headers=XML)

    results = {
        "bare FastAPI POST": await measure(args.requests, post(bare, "/bare", one), 200),
        "getServerTimestamp": await measure(args.requests, post(soap, SOAP, stamp), 200),
        "create 1 Lead, 3 headers": await measure(args.requests, post(soap, SOAP, one), 200),
        "create 200 Leads": await measure(args.batches, post(soap, SOAP, batch), 200),
    }
    base = results["bare FastAPI POST"]["p50"]
    mode = "uvicorn on loopback" if args.live else "in process (httpx.ASGITransport)"
    print(f"sfmock SOAP bench, {mode}, {db.engine.dialect.name}")
    print(f"{'scenario':<28}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'p50 / bare':>12}")
    for name, r in results.items():
        print(f"{name:<28}{r['rps']:>10.1f}{r['p50']:>10.2f}{r['p99']:>10.2f}{r['p50'] / base:>12.1f}")
    per_record = results["create 200 Leads"]["p50"] / 200
    ratio = results["create 1 Lead, 3 headers"]["p50"] / per_record
    print(f"200-record create: {per_record:.3f} ms per record ({ratio:.0f}x cheaper per record than single "
          "creates)")
    await soap.aclose()
    await bare.aclose()
    for server in (soap_server, bare_server):
        if server is not None:
            server.should_exit = True  # type: ignore[attr-defined]
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="requests per single-record scenario")
    parser.add_argument("--batches", type=int, default=20, help="200-record create requests")
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temporary folder")
    parser.add_argument("--live", action="store_true",
                        help="through uvicorn on loopback instead of in process")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
