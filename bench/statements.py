"""SQL statements per call (the `make bench` tail): a REST create, a SOAP create with both headers, and a REST
query, counted in process (SQLAlchemy's before_cursor_execute and commit events, so BEGIN and COMMIT count) on
a demo database.
The first call of each kind warms the caches; the figure is the steady state, averaged over 100 calls
(id and request-count blocks are reserved once per block, so a few calls pay one more statement)."""
from __future__ import annotations

import sys
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import demo_database
from suite import LEAD, LOGIN, SOAP, SOAP_LEAD, XML, V, envelope

from sfmock.main import create_app

CALLS = 100


def main() -> None:
    db, settings = demo_database(None)
    statements: list[str] = []
    # Every engine (a database keeps one per lock wait); COMMIT is the DB-API's commit(), not a cursor
    # statement: counted from the commit event.
    event.listen(Engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    event.listen(Engine, "commit", lambda conn: statements.append("COMMIT"))
    with TestClient(create_app(settings, db), base_url="http://127.0.0.1") as client:
        auth = {"Authorization": "Bearer " + client.post("/services/oauth2/token",
                                                         data=LOGIN).json()["access_token"]}
        soap_login = envelope("<u:login><u:username>admin@acme.example</u:username>"
                              "<u:password>sfmock-passwordSFMOCKTOKEN</u:password></u:login>")
        session = client.post(SOAP, content=soap_login,
                              headers=XML).text.split("<sessionId>")[1].split("<")[0]
        one = envelope(f"<u:create>{SOAP_LEAD}</u:create>", session)
        soql = {"q": "SELECT Id, OwnerId FROM Lead WHERE Company = 'Acme' LIMIT 5"}
        calls = {
            "REST create (rule runs)": lambda: client.post(f"{V}/sobjects/Lead/", json=LEAD, headers=auth),
            "SOAP create (AssignmentRule + Email headers)": lambda: client.post(
                SOAP, content=one, headers=XML
            ),
            "REST query": lambda: client.get(f"{V}/query", params=soql, headers=auth),
        }
        print("SQL statements per call (steady state, BEGIN and COMMIT included):")
        for name, call in calls.items():
            call()
            statements.clear()
            for _ in range(CALLS):
                call()
            print(f"  {name:<48}{len(statements) / CALLS:6.1f}")
    db.dispose()


if __name__ == "__main__":
    main()
