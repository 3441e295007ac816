"""kill -9 in the middle of a run: every acknowledged record survives with its mail exactly once, and the
restarted server (whose predecessor died holding reserved id and request-count blocks) never hands out an id
twice."""
from __future__ import annotations

import re

import httpx
import pytest
import sqlalchemy as sa

from sfmock.persistence.db import Database
from sfmock.persistence.tables import outbox, table_for
from sfmock.pytest_plugin import start_server, stop_server
from tests.databases import backends, throwaway_database
from tests.e2e.test_multiprocess import CREATE, LOGIN, RECORD

SOAP = "/services/Soap/u/59.0"


def _creates(url: str, calls: int) -> list[str]:
    """`calls` SOAP creates of 2 Leads each (AssignmentRuleHeader + EmailHeader: 3 mails per Lead)."""
    with httpx.Client(base_url=url, timeout=60) as client:
        login = client.post(SOAP, content=LOGIN, headers={"Content-Type": "text/xml", "SOAPAction": "login"})
        session = re.search(r"<sessionId>([^<]+)</sessionId>", login.text).group(1)
        body = CREATE.format(session=session, records=RECORD.format(n=1) + RECORD.format(n=2))
        made = []
        for _ in range(calls):
            answer = client.post(SOAP, content=body, headers={"Content-Type": "text/xml", "SOAPAction": '""'})
            assert answer.status_code == 200 and answer.text.count("<success>true</success>") == 2, (
                answer.text
            )
            made += re.findall(r"<id>([^<]+)</id>", answer.text)
        return made


@pytest.mark.parametrize("backend", backends())
def test_acknowledged_records_survive_kill_9_and_ids_stay_unique(backend: str, tmp_path) -> None:  # noqa: ANN001
    with throwaway_database(backend, tmp_path) as db_url:
        first = start_server(tmp_path / "first", db_url, args=("--load-demo-if-empty",))
        try:
            before = _creates(first.http_url, 8)
        finally:
            first.process.kill()  # SIGKILL: no shutdown; its unused id and request blocks are simply lost
            first.process.wait()
        second = start_server(tmp_path / "second", db_url)
        try:
            after = _creates(second.http_url, 8)
        finally:
            stop_server(second)
        db = Database(db_url)
        with db.read() as sql:
            leads = sql.execute(sa.select(table_for("Lead").c.Id)).scalars().all()
            mail = sql.execute(sa.select(outbox.c.record_id, outbox.c.recipient)).all()
        db.dispose()
        made = before + after
        assert len(made) == 32 and len(set(made)) == 32
        assert sorted(leads) == sorted(made)
        # Enterprise_India_Queue: the queue address and its two members, once each per Lead.
        assert len(mail) == 3 * 32 and len(set(mail)) == 3 * 32
        assert {m.record_id for m in mail} == set(made)
