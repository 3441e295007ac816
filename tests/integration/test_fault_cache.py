"""Fault rules served from each process's org cache: a rule armed, spent or cleared through one process is
seen by another at its next call, and a count-limited rule takes exactly its count across both."""
from __future__ import annotations

import pytest

from sfmock.calls import api_call, login
from sfmock.core.errors import CallError
from sfmock.core.faults import parse
from sfmock.core.options import ACTIVE_RULE
from sfmock.core.results import RecordInput
from sfmock.persistence import faults as fault_rows
from sfmock.persistence.db import Database
from tests.conftest import DemoDb

LEAD = {"LastName": "Faulty", "Company": "Acme", "Country": "India"}


def _create(db: Database, session: str) -> str:
    """The call's outcome: "OK", the record's error code, or the call's fault code."""
    try:
        with api_call(db, session, api="soap", operation="create", sobject="Lead") as call:
            result = call.service.create([RecordInput("Lead", LEAD)], assignment=ACTIVE_RULE)[0]
    except CallError as error:
        return error.code
    return "OK" if result.success else result.errors[0].code


@pytest.fixture
def two(app_db: DemoDb):
    """This process's database, a second process's on the same URL, and a session."""
    other = Database(app_db.db.url)
    session = login(app_db.db, "admin@acme.example", "sfmock-passwordSFMOCKTOKEN", caller_ip=None).session_id
    yield app_db.db, other, session
    other.dispose()


def test_a_rule_armed_elsewhere_is_taken_at_the_next_call_and_its_count_is_exact(two, app_db: DemoDb) -> None:
    db, other, session = two
    assert [_create(db, session), _create(other, session)] == ["OK", "OK"]  # both caches warm, no rule
    with other.session() as sql:
        armed = parse({"kind": "UNABLE_TO_LOCK_ROW", "sobject": "Lead", "count": 3})
        rule = fault_rows.add(sql, app_db.org.org_id, armed)
    outcomes = [_create(d, session) for d in (db, other, db, other, db, other)]
    assert outcomes == ["UNABLE_TO_LOCK_ROW"] * 3 + ["OK"] * 3
    with db.read() as sql:
        (stored,) = fault_rows.list_rules(sql, app_db.org.org_id)
    assert (stored.id, stored.remaining, stored.hits) == (rule.id, 0, 3)


def test_a_rule_cleared_elsewhere_takes_nothing_more(two, app_db: DemoDb) -> None:
    db, other, session = two
    with db.session() as sql:
        fault_rows.add(sql, app_db.org.org_id,
                       parse({"kind": "REQUEST_LIMIT_EXCEEDED", "operation": "create"}))
    assert [_create(db, session), _create(other, session)] == ["REQUEST_LIMIT_EXCEEDED"] * 2
    with other.session() as sql:
        assert fault_rows.clear(sql, app_db.org.org_id) == 1
    assert [_create(db, session), _create(other, session)] == ["OK", "OK"]
