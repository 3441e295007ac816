"""REST throughput beside a bare FastAPI endpoint, measured in the same run.

    python bench/rest_create.py [--requests 400] [--collections 20] [--database-url URL] [--live]

Scenarios: a single Lead create with the active assignment rule running (Sforce-Auto-Assign absent = TRUE),
a query by Id, and a collection of 200 Leads. Each reports requests/second, p50 and p99 latency, and the
p50 ratio to a bare FastAPI endpoint (`POST /bare` returning a small JSON body) driven the same way: in
process through httpx.ASGITransport by default, or through a real uvicorn on loopback with --live. Numbers,
not assertions: tests never time anything.
"""
from __future__ import annotations

import argparse
import asyncio

from fastapi import FastAPI
from harness import Clients, demo_database, measure, report

from sfmock.main import create_app

V = "/services/data/v59.0"
LOGIN = {"grant_type": "password", "client_id": "sfmock-demo-client", "client_secret": "sfmock-demo-secret",
         "username": "admin@acme.example", "password": "sfmock-passwordSFMOCKTOKEN"}


def bare_app() -> FastAPI:
    app = FastAPI()

    @app.post("/bare")
    def bare(payload: dict) -> dict:
        return {"id": "00Q000000000000AAA", "success": True, "errors": []}

    return app


async def run(args: argparse.Namespace) -> None:
    db, settings = demo_database(args.database_url)
    clients = Clients(args.live)
    rest, bare = clients.client(create_app(settings, db)), clients.client(bare_app())
    token = (await rest.post("/services/oauth2/token", data=LOGIN)).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    lead = {"LastName": "Bench", "Company": "Acme", "Country": "India"}
    first = (await rest.post(f"{V}/sobjects/Lead/", json=lead, headers=auth)).json()["id"]
    query = {"q": f"SELECT Id, OwnerId, Owner.Name FROM Lead WHERE Id = '{first}'"}
    batch = {"records": [{"attributes": {"type": "Lead"}} | lead for _ in range(200)]}

    def status(code: int):  # noqa: ANN202
        return lambda response: response.status_code == code

    results = {
        "bare FastAPI POST": await measure(args.requests, lambda i: bare.post("/bare", json=lead),
                                           status(200)),
        "create Lead (rule runs)": await measure(
            args.requests, lambda i: rest.post(f"{V}/sobjects/Lead/", json=lead, headers=auth), status(201)),
        "query by Id": await measure(
            args.requests, lambda i: rest.get(f"{V}/query", params=query, headers=auth), status(200)),
        "collection of 200": await measure(
            args.collections, lambda i: rest.post(f"{V}/composite/sobjects", json=batch, headers=auth),
            status(200)),
    }
    report(f"sfmock REST bench, {clients.mode}, {db.engine.dialect.name}", results, "bare FastAPI POST")
    per_record = results["collection of 200"]["p50"] / 200
    print(
        f"collection: {per_record:.3f} ms per record "
        f"({results['create Lead (rule runs)']['p50'] / per_record:.0f}x "
        "cheaper per record than single creates)"
    )
    await clients.close()
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="requests per single-record scenario")
    parser.add_argument("--collections", type=int, default=20, help="collection requests (200 records each)")
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temporary folder")
    parser.add_argument("--live", action="store_true",
                        help="through uvicorn on loopback instead of in process")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
