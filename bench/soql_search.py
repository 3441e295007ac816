"""SOQL aggregates and SOSL over 100,000 Leads, through the REST door in process.

    python bench/soql_search.py [--leads 100000] [--requests 30] [--database-url URL]

--database-url must name a database of its own (the bench migrates it and resets the demo org in it).
Issue 12's target: an aggregate and a SOSL search over 100,000 Leads each answer in under 200 ms. The Leads
are written straight into the demo org's table (the search index follows through its triggers / expression
index, as it would for any write); each scenario reports p50 and p99 latency and whether p50 is under the
target. Numbers, not assertions: tests never time anything.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt

import sqlalchemy as sa
from harness import Clients, demo_database, measure, report

from sfmock.core import ids
from sfmock.main import create_app
from sfmock.persistence.tables import orgs, table_for

V = "/services/data/v59.0"
LOGIN = {
    "grant_type": "password",
    "client_id": "sfmock-demo-client",
    "client_secret": "sfmock-demo-secret",
    "username": "admin@acme.example",
    "password": "sfmock-passwordSFMOCKTOKEN",
}
TARGET_MS = 200.0
SOURCES = ["Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other", None]
WORDS = ["acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "wonka", "tyrell", "cyberdyne"]


def _fill(db, count: int) -> None:
    table = table_for("Lead")
    with db.engine.begin() as conn:
        org_id, number = conn.execute(sa.select(orgs.c.id, orgs.c.number)).first()
        owner = conn.execute(
            sa.select(table_for("User").c.Id).where(table_for("User").c.org_id == org_id)
        ).scalar()
        start = dt.datetime(2020, 1, 1)
        batch = []
        for n in range(count):
            created = start + dt.timedelta(minutes=37 * n)
            word = WORDS[n % len(WORDS)]
            batch.append(
                {
                    "org_id": org_id,
                    "Id": ids.make_id("00Q", number, 500_000 + n),
                    "IsDeleted": False,
                    "CreatedDate": created,
                    "CreatedById": owner,
                    "LastModifiedDate": created,
                    "LastModifiedById": owner,
                    "SystemModstamp": created,
                    "OwnerId": owner,
                    "LastName": f"Bench{n}",
                    "Name": f"Bench{n}",
                    "Company": f"{word.title()} {n % 997}",
                    "Email": f"lead{n}@{word}.example",
                    "Phone": f"+1 415 555 {n % 10000:04}",
                    "LeadSource": SOURCES[n % len(SOURCES)],
                    "Status": "Open - Not Contacted",
                    "NumberOfEmployees": n % 5000,
                    "AnnualRevenue": float(n % 100_000),
                    "IsConverted": False,
                }
            )
            if len(batch) == 5000:
                conn.execute(sa.insert(table), batch)
                batch = []
        if batch:
            conn.execute(sa.insert(table), batch)


async def run(args: argparse.Namespace) -> None:
    db, settings = demo_database(args.database_url)
    _fill(db, args.leads)
    clients = Clients(False)
    rest = clients.client(create_app(settings, db))
    token = (await rest.post("/services/oauth2/token", data=LOGIN)).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}

    def get(path: str, q: str):
        return lambda i: rest.get(f"{V}/{path}", params={"q": q}, headers=auth)

    def ok(response) -> bool:
        return response.status_code == 200

    scenarios = {
        "aggregate: GROUP BY LeadSource, COUNT, SUM": get(
            "query", "SELECT LeadSource, COUNT(Id), SUM(NumberOfEmployees) FROM Lead GROUP BY LeadSource"
        ),
        "aggregate: GROUP BY CALENDAR_YEAR": get(
            "query",
            "SELECT CALENDAR_YEAR(CreatedDate), COUNT(Id) FROM Lead GROUP BY CALENDAR_YEAR(CreatedDate)",
        ),
        "aggregate: COUNT_DISTINCT, MAX": get(
            "query", "SELECT COUNT_DISTINCT(Company), MAX(CreatedDate) FROM Lead"
        ),
        "SOSL: one word, one record": get("search", "FIND {Bench4242} RETURNING Lead(Id, Name)"),
        "SOSL: prefix, 200 of 10,000": get(
            "search", "FIND {glob*} RETURNING Lead(Id, Name, Email) LIMIT 200"
        ),
        "SOSL: IN EMAIL FIELDS, phrase": get(
            "search", 'FIND {"wonka example"} IN EMAIL FIELDS RETURNING Lead LIMIT 50'
        ),
    }
    results = {name: await measure(args.requests, call, ok) for name, call in scenarios.items()}
    report(
        f"sfmock SOQL/SOSL bench, {args.leads:,} Leads, {db.engine.dialect.name}",
        results,
        next(iter(scenarios)),
    )
    for name, numbers in results.items():
        verdict = "under" if numbers["p50"] < TARGET_MS else "OVER"
        print(f"{name}: p50 {numbers['p50']:.1f} ms, {verdict} the {TARGET_MS:.0f} ms target")
    await clients.close()
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30, help="requests per scenario")
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temporary folder")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
