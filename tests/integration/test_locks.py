"""Reads never wait for writers; a write that cannot get the lock in time answers UNABLE_TO_LOCK_ROW, the
Salesforce way, with nothing written. Another process holds the SQLite write lock (BEGIN IMMEDIATE)
meanwhile."""
from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from sfmock.main import create_app
from sfmock.persistence.db import Database
from sfmock.persistence.tables import table_for
from tests.contract.test_soap_shapes import Soap, envelope
from tests.integration.test_rest_fixtures import BASE, Api, V

LOCKED = "unable to obtain exclusive access to this record or {} records"
HOLDER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.read()
connection.execute("ROLLBACK")
"""
LEAD = ("<u:sObjects><o:type>Lead</o:type><o:LastName>Locked</o:LastName><o:Company>Acme</o:Company>"
        "</u:sObjects>")


@contextmanager
def write_lock_held_by_another_process(path: str) -> Iterator[None]:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, path], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        yield
    finally:
        holder.communicate("", timeout=30)


@pytest.fixture
def locking(app_db):  # noqa: ANN001, ANN201
    if not app_db.db.is_sqlite:
        pytest.skip("the SQLite write lock (PostgreSQL readers never wait; writers wait for row locks)")
    db = Database(app_db.db.url, lock_wait=0.3)
    client = TestClient(create_app(app_db.settings, db), base_url=BASE, raise_server_exceptions=False)
    api = Api(client, "", app_db)
    yield Api(client, api.login(), app_db), db
    db.dispose()


def _lead_names(db: Database) -> list[str]:
    with db.read() as sql:
        return sorted(sql.execute(sa.select(table_for("Lead").c.LastName)).scalars())


def test_a_query_answers_and_a_create_is_unable_to_lock_row(locking) -> None:  # noqa: ANN001
    api, db = locking
    first = api.create("Lead", LastName="Before", Company="Acme")
    soql = {"q": "SELECT Id, LastName FROM Lead WHERE Company = 'Acme'"}
    with write_lock_held_by_another_process(sa.engine.make_url(db.url).database):
        queried = api.get(f"{V}/query", params=soql)
        created = api.post(f"{V}/sobjects/Lead/", json={"LastName": "During", "Company": "Acme"})
        batch = api.post(f"{V}/composite/sobjects", json={"records": [
            {"attributes": {"type": "Lead"}, "LastName": f"During{n}", "Company": "Acme"} for n in range(2)]})
        retrieved = api.get(f"{V}/sobjects/Lead/{first}")
    assert queried.status_code == 200, queried.text
    assert [r["Id"] for r in queried.json()["records"]] == [first]
    assert retrieved.status_code == 200 and retrieved.json()["LastName"] == "Before"
    assert created.status_code == 400
    assert created.json() == [{"message": LOCKED.format(1), "errorCode": "UNABLE_TO_LOCK_ROW", "fields": []}]
    assert batch.status_code == 200
    assert batch.json() == [{"success": False, "errors": [
        {"statusCode": "UNABLE_TO_LOCK_ROW", "message": LOCKED.format(2), "fields": []}]}] * 2
    assert _lead_names(db) == ["Before"]  # nothing half-written
    # Once the lock is gone, writes go through again.
    assert api.post(f"{V}/sobjects/Lead/", json={"LastName": "After", "Company": "Acme"}).status_code == 201
    assert _lead_names(db) == ["After", "Before"]


def test_soap_create_answers_unable_to_lock_row_per_record(locking) -> None:  # noqa: ANN001
    api, db = locking
    soap = Soap(api.client.app)
    session = soap.login()
    header = f"<u:SessionHeader><u:sessionId>{session}</u:sessionId></u:SessionHeader>"
    with write_lock_held_by_another_process(sa.engine.make_url(db.url).database):
        stamp = api.client.post("/services/Soap/u/59.0", content=envelope("<u:getServerTimestamp/>", header),
                                headers={"Content-Type": "text/xml", "SOAPAction": '""'})
        created = api.client.post("/services/Soap/u/59.0",
                                  content=envelope(f"<u:create>{LEAD * 3}</u:create>",
                                  header), headers={"Content-Type": "text/xml", "SOAPAction": '""'})
    assert stamp.status_code == 200 and b"<timestamp>" in stamp.content
    assert created.status_code == 200, created.text
    text = created.text
    assert text.count("<success>false</success>") == 3
    assert text.count("<statusCode>UNABLE_TO_LOCK_ROW</statusCode>") == 3
    assert text.count(f"<message>{LOCKED.format(3)}</message>") == 3
    assert _lead_names(db) == []
