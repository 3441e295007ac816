"""Two server processes on one database: concurrent creates get unique ids and exactly-once outbox rows."""
from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import sqlalchemy as sa

from sfmock.persistence.db import Database
from sfmock.persistence.tables import outbox, table_for
from sfmock.pytest_plugin import start_server, stop_server
from tests.databases import backends, throwaway_database

CREATE = """<?xml version="1.0" encoding="utf-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
  xmlns:urn="urn:partner.soap.sforce.com"
  xmlns:sobj="urn:sobject.partner.soap.sforce.com"><soapenv:Header>
 <urn:SessionHeader><urn:sessionId>{session}</urn:sessionId></urn:SessionHeader>
 <urn:AssignmentRuleHeader><urn:useDefaultRule>true</urn:useDefaultRule></urn:AssignmentRuleHeader>
 <urn:EmailHeader><urn:triggerAutoResponseEmail>false</urn:triggerAutoResponseEmail>
  <urn:triggerOtherEmail>false</urn:triggerOtherEmail><urn:triggerUserEmail>true</urn:triggerUserEmail></urn:EmailHeader>
</soapenv:Header><soapenv:Body><urn:create>{records}</urn:create></soapenv:Body></soapenv:Envelope>"""
RECORD = (
    "<urn:sObjects><sobj:type>Lead</sobj:type><sobj:LastName>P{n}</sobj:LastName><sobj:Company>Acme</sobj:Company>"
    "<sobj:Country>India</sobj:Country><sobj:AnnualRevenue>20000000</sobj:AnnualRevenue></urn:sObjects>"
)
LOGIN = """<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>
<login xmlns="urn:partner.soap.sforce.com"><username>admin@acme.example</username>
<password>sfmock-passwordSFMOCKTOKEN</password></login></soapenv:Body></soapenv:Envelope>"""
CALLS_PER_SERVER, RECORDS_PER_CALL = 20, 5


@pytest.mark.parametrize("backend", backends())
def test_two_processes_hammering_one_database(backend: str, tmp_path) -> None:  # noqa: ANN001
    with throwaway_database(backend, tmp_path) as db_url:
        first = start_server(tmp_path / "first", db_url, args=("--load-demo-if-empty",))
        second = start_server(tmp_path / "second", db_url)
        url1, url2 = first.http_url, second.http_url
        try:
            login = httpx.post(f"{url1}/services/Soap/u/59.0", content=LOGIN,
                               headers={"Content-Type": "text/xml", "SOAPAction": "login"}, timeout=30)
            session = re.search(r"<sessionId>([^<]+)</sessionId>", login.text).group(1)
            body = CREATE.format(session=session,
                                 records="".join(RECORD.format(n=n) for n in range(RECORDS_PER_CALL)))

            def create(url: str) -> list[str]:
                response = httpx.post(f"{url}/services/Soap/u/59.0", content=body,
                                      headers={"Content-Type": "text/xml", "SOAPAction": '""'}, timeout=60)
                assert response.status_code == 200, response.text
                return re.findall(r"<id>([^<]+)</id>", response.text)

            with ThreadPoolExecutor(max_workers=8) as pool:
                batches = list(pool.map(create, [url1, url2] * CALLS_PER_SERVER))
        finally:
            for server in (first, second):
                stop_server(server)
        made = [i for batch in batches for i in batch]
        expected = 2 * CALLS_PER_SERVER * RECORDS_PER_CALL
        assert len(made) == expected and len(set(made)) == expected
        db = Database(db_url)
        with db.session() as s:
            leads = s.execute(sa.select(table_for("Lead").c.Id)).scalars().all()
            mail = s.execute(sa.select(outbox.c.record_id, outbox.c.recipient)).all()
        db.dispose()
        assert sorted(leads) == sorted(made)
        # Enterprise_India_Queue: the queue address and its two members, once each per lead.
        assert len(mail) == 3 * expected and len(set(mail)) == 3 * expected
        assert {m.record_id for m in mail} == set(made)
