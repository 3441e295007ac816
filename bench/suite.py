"""`make bench`: every figure of issue 9 in one bounded run (a few minutes), each throughput as a ratio
against a bare FastAPI app served the same way in the same run (uvicorn, loopback, 8 keep-alive clients).

    python bench/suite.py [--seconds 4] [--leads 100000] [--postgres URL | --no-postgres]

Numbers, not assertions: tests never time anything."""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import demo_database
from loadgen import Figures, drive, request
from servers import bare_app, postgres_database, rss_mb, sfmock
from soap_create import envelope as soap_envelope

V = "/services/data/v59.0"
SOAP = "/services/Soap/u/59.0"
JSON = {"Content-Type": "application/json"}
XML = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'}
LEAD = {"LastName": "Bench", "Company": "Acme", "Country": "India"}
SOAP_LEAD = ("<u:sObjects><o:type>Lead</o:type><o:LastName>Bench</o:LastName><o:Company>Acme</o:Company>"
             "<o:Country>India</o:Country><o:AnnualRevenue>20000000</o:AnnualRevenue></u:sObjects>")
LOGIN = {"grant_type": "password", "client_id": "sfmock-demo-client", "client_secret": "sfmock-demo-secret",
         "username": "admin@acme.example", "password": "sfmock-passwordSFMOCKTOKEN"}
QUERIES = {
    "Company = 'X' LIMIT 5": "SELECT Id FROM Lead WHERE Company = 'Bench 7' LIMIT 5",
    "ORDER BY CreatedDate DESC LIMIT 10": "SELECT Id FROM Lead ORDER BY CreatedDate DESC LIMIT 10",
    # The demo org's custom number field (a slot column with its own index, app/core/schema/slots.py).
    "on a custom field, Score__c = 7 LIMIT 5": "SELECT Id FROM Lead WHERE Score__c = 7 LIMIT 5",
}
PORT, BARE_PORT = 9121, 9120  # sfmock uses PORT and PORT+1 (HTTPS); a restart PORT+2/+3; PostgreSQL PORT+4/+5
ROWS: list[tuple[str, str]] = []


def envelope(body: str, session: str = "") -> bytes:
    return soap_envelope(body, session).encode()


def token(port: int) -> str:
    data = urllib.parse.urlencode(LOGIN).encode()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/services/oauth2/token", data=data) as answer:
        return json.loads(answer.read())["access_token"]


def soap_session(port: int) -> str:
    login = envelope("<u:login><u:username>admin@acme.example</u:username>"
                     "<u:password>sfmock-passwordSFMOCKTOKEN</u:password></u:login>")
    req = urllib.request.Request(f"http://127.0.0.1:{port}{SOAP}", data=login, headers=XML)
    with urllib.request.urlopen(req) as answer:
        return re.search(r"<sessionId>([^<]+)</sessionId>", answer.read().decode()).group(1)


def note(name: str, value: str) -> None:
    ROWS.append((name, value))
    print(f"  {name:<58}{value}", flush=True)


def throughput(name: str, figures: Figures, bare: Figures | None) -> None:
    ratio = f"  {figures.rps / bare.rps:.2f} of bare" if bare else ""
    failed = f"  ({figures.failures} failed)" if figures.failures else ""
    note(name,
         f"{figures.rps:8.0f} req/s  p50 {figures.p50_ms:6.1f} ms  p99 {figures.p99_ms:6.1f} "
         f"ms{ratio}{failed}")


def status_ok(code: int):  # noqa: ANN201
    return lambda status, body: status == code


def soap_ok(status: int, body: bytes) -> bool:
    return status == 200 and b"<success>false</success>" not in body


def batch(count: int, name: str = "Bench") -> bytes:
    records = [{"attributes": {"type": "Lead"}} | LEAD | {"LastName": name, "Company": f"Bench {n % 1000}",
                                                       "Score__c": n % 1000}
               for n in range(count)]
    return json.dumps({"records": records}).encode()


def fill(port: int, auth: dict, leads: int, current: int) -> int:
    """Creates Leads through REST collections of 200 (8 clients) until the org holds `leads`."""
    calls = max(0, (leads - current + 199) // 200)
    if calls:
        body = request("POST", f"{V}/composite/sobjects", batch(200), auth | JSON)
        drive(port, lambda i: body, status_ok(200), seconds=3600, warmup=0, most=calls)
    return current + calls * 200


def queries(port: int, auth: dict, size: str, seconds: float, bare: Figures) -> None:
    for label, soql in QUERIES.items():
        path = f"{V}/query?" + urllib.parse.urlencode({"q": soql})
        throughput(f"query {label} @ {size}", drive(port, lambda i, p=path: request("GET", p, b"", auth),
                                                     status_ok(200), seconds=seconds), bare)


def simple_salesforce_creates(port: int, folder: Path, seconds: float) -> None:
    """simple-salesforce over HTTPS (its only scheme), one create after the other, as a test suite runs."""
    try:
        import requests
    except ImportError:
        note("simple-salesforce sequential creates (HTTPS)", "skipped: simple-salesforce not installed")
        return
    session = requests.Session()
    session.verify = str(folder / "data" / "tls" / "ca.pem")
    os.environ["REQUESTS_CA_BUNDLE"] = session.verify
    sf = _simple_salesforce(port, session)
    for _ in range(20):
        sf.Lead.create(LEAD)
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        sf.Lead.create(LEAD)
        done += 1
    note("simple-salesforce sequential creates (HTTPS)",
         f"{done / (time.perf_counter() - start):8.0f} per second")


def _simple_salesforce(port: int, session):  # noqa: ANN001, ANN202
    from simple_salesforce import Salesforce

    data = urllib.parse.urlencode(LOGIN).encode()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/services/oauth2/token", data=data) as answer:
        access = json.loads(answer.read())["access_token"]
    return Salesforce(instance_url=f"https://127.0.0.1:{port + 1}", session_id=access, session=session,
                      version="59.0")


def single_call_ms(port: int, body: bytes, ok, count: int = 15) -> Figures:  # noqa: ANN001
    return drive(port, lambda i: body, ok, clients=1, seconds=120, warmup=3, most=count)


def postgres(folder: Path, url: str, seconds: float, bare: Figures) -> None:
    with postgres_database(url, folder) as db_url:
        if db_url is None:
            note("PostgreSQL", f"skipped: {url} unreachable")
            return
        demo_database(db_url)
        for workers in (1, 2):
            with sfmock(folder, db_url, PORT + 4, workers=workers):
                auth = {"Authorization": f"Bearer {token(PORT + 4)}"}
                create = request("POST", f"{V}/sobjects/Lead/", json.dumps(LEAD).encode(), auth | JSON)
                throughput(f"PostgreSQL REST create, --workers {workers}",
                           drive(PORT + 4, lambda i, c=create: c, status_ok(201), seconds=seconds), bare)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0, help="per throughput scenario")
    parser.add_argument("--leads", type=int, default=100_000, help="the large table size")
    parser.add_argument("--postgres", default=os.environ.get(
        "SFMOCK_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    db, settings = demo_database(None)
    db.dispose()
    folder = Path(settings.data_dir)
    print(f"sfmock bench: 8 keep-alive clients over loopback, uvicorn, {os.cpu_count()} cores; SQLite "
          f"{db.url}")
    with bare_app(BARE_PORT):
        bare_call = request("POST", "/bare", json.dumps(LEAD).encode(), JSON)
        bare = drive(BARE_PORT, lambda i: bare_call,
                     status_ok(200), seconds=args.seconds)
        throughput("bare FastAPI JSON POST (the reference)", bare, None)
    with sfmock(folder, db.url, PORT) as (server, _started):
        auth = {"Authorization": f"Bearer {token(PORT)}"}
        session = soap_session(PORT)
        count = fill(PORT, auth, 2000, 0)
        queries(PORT, auth, "2,000 Leads", args.seconds, bare)
        create = request("POST", f"{V}/sobjects/Lead/", json.dumps(LEAD).encode(), auth | JSON)
        rest = drive(PORT, lambda i: create, status_ok(201), seconds=args.seconds)
        throughput("REST single create (rule runs)", rest, bare)
        one = request("POST", SOAP, envelope(f"<u:create>{SOAP_LEAD}</u:create>", session), XML)
        soap = drive(PORT, lambda i: one, soap_ok, seconds=args.seconds)
        throughput("SOAP single create, AssignmentRule + Email headers", soap, bare)
        many = request("POST", SOAP, envelope(f"<u:create>{SOAP_LEAD * 200}</u:create>", session), XML)
        figures = single_call_ms(PORT, many, soap_ok)
        note("SOAP create of 200 records (one client)",
             f"p50 {figures.p50_ms:6.1f} ms  p99 {figures.p99_ms:6.1f} ms")
        collection = request("POST", f"{V}/composite/sobjects", batch(200), auth | JSON)
        figures = single_call_ms(PORT, collection, status_ok(200))
        note("REST collection of 200 records (one client)",
             f"p50 {figures.p50_ms:6.1f} ms  p99 {figures.p99_ms:6.1f} ms")
        count += rest.requests + soap.requests + 15 * 200 * 2 + 40 * 200
        start = time.perf_counter()
        before = count
        count = fill(PORT, auth, args.leads, count)
        made = count - before
        if made:
            note("creates through REST collections (8 clients)",
                 f"{made / (time.perf_counter() - start):8.0f} "
                 f"records/s ({made} records)")
        note(f"sfmock resident memory after {count:,} creates", f"{rss_mb(server.pid):8.0f} MB")
        queries(PORT, auth, f"{count:,} Leads", args.seconds, bare)
    with sfmock(folder, db.url, PORT + 2) as (server, started):
        note("`sfmock serve` on the existing database until /health", f"{started:8.2f} s")
        simple_salesforce_creates(PORT + 2, folder, args.seconds)
    if not args.no_postgres:
        postgres(folder, args.postgres, args.seconds, bare)
    print("\nsummary (README, Performance):")
    for name, value in ROWS:
        print(f"| {name} | {value.strip()} |")


if __name__ == "__main__":
    main()
