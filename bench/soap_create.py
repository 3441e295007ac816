"""SOAP throughput beside a bare FastAPI endpoint, measured in the same run.

    python bench/soap_create.py [--requests 400] [--batches 20] [--database-url URL] [--live]

Scenarios: a 1-record Lead create carrying SessionHeader + AssignmentRuleHeader(useDefaultRule) + EmailHeader
(triggerUserEmail: the enterprise rule entry mails the queue and its members), a 200-record create with the
same headers, and getServerTimestamp (the door, the session check and LimitInfoHeader, no record work). Each
reports requests/second, p50 and p99 latency and the p50 ratio to a bare FastAPI endpoint (`POST /bare`
answering a small XML body) driven the same way: in process through httpx.ASGITransport by default, or through
a real uvicorn on loopback with --live. Numbers, not assertions: tests never time anything.
"""
from __future__ import annotations

import argparse
import asyncio
import re

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import Response
from harness import Call, Clients, demo_database, measure, report

from sfmock.main import create_app

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


async def run(args: argparse.Namespace) -> None:
    db, settings = demo_database(args.database_url)
    clients = Clients(args.live)
    soap, bare = clients.client(create_app(settings, db)), clients.client(bare_app())
    login = envelope("<u:login><u:username>admin@acme.example</u:username>"
                     "<u:password>sfmock-passwordSFMOCKTOKEN</u:password></u:login>")
    answer = await soap.post(SOAP, content=login, headers=XML)
    session = re.search(r"<sessionId>([^<]+)</sessionId>", answer.text).group(1)
    one = envelope(f"<u:create>{LEAD}</u:create>", session)
    batch = envelope(f"<u:create>{LEAD * 200}</u:create>", session)
    stamp = envelope("<u:getServerTimestamp/>", session)

    def post(client: httpx.AsyncClient, path: str, body: str) -> Call:
        return lambda i: client.post(path, content=body, headers=XML)

    def ok(response: httpx.Response) -> bool:
        return response.status_code == 200 and b"<success>false</success>" not in response.content

    results = {
        "bare FastAPI POST": await measure(args.requests, post(bare, "/bare", one), ok),
        "getServerTimestamp": await measure(args.requests, post(soap, SOAP, stamp), ok),
        "create 1 Lead, 3 headers": await measure(args.requests, post(soap, SOAP, one), ok),
        "create 200 Leads": await measure(args.batches, post(soap, SOAP, batch), ok),
    }
    report(f"sfmock SOAP bench, {clients.mode}, {db.engine.dialect.name}", results, "bare FastAPI POST")
    per_record = results["create 200 Leads"]["p50"] / 200
    ratio = results["create 1 Lead, 3 headers"]["p50"] / per_record
    print(f"200-record create: {per_record:.3f} ms per record ({ratio:.0f}x cheaper per record than single "
          "creates)")
    await clients.close()
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
