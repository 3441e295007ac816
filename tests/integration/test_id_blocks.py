"""Record ids reserved in blocks: a block reserved inside a savepoint that rolls back (a failed record, an
all-or-none call undone) is not handed out again, so ids stay unique across calls and processes."""
from __future__ import annotations

import sqlalchemy as sa

from sfmock.calls import api_call, login
from sfmock.core.options import ACTIVE_RULE
from sfmock.core.results import RecordInput
from sfmock.persistence.db import Database
from sfmock.persistence.tables import table_for
from tests.conftest import DemoDb

LEAD = {"LastName": "Block", "Company": "Acme", "Country": "India"}


def _create(db: Database, session: str, count: int, *, all_or_none: bool = False,
            bad: bool = False) -> list[str | None]:
    records = [RecordInput("Lead", LEAD) for _ in range(count)] + ([RecordInput("Lead", {})] if bad else [])
    with api_call(db, session, api="soap") as call:
        results = call.service.create(records, assignment=ACTIVE_RULE, notify_owner=False,
                                      all_or_none=all_or_none)
    return [r.id for r in results if r.success]


def test_a_block_reserved_in_an_undone_savepoint_is_not_reused(app_db: DemoDb) -> None:
    other = Database(app_db.db.url)  # a second process on the same database
    try:
        session = login(app_db.db, "admin@acme.example", "sfmock-passwordSFMOCKTOKEN",
                        caller_ip=None).session_id
        assert _create(app_db.db, session, 3, all_or_none=True, bad=True) == []  # undone: its block with it
        made = []
        for db in (app_db.db, other, app_db.db, other, app_db.db):
            made += _create(db, session, 60)
        with app_db.db.read() as sql:
            stored = sql.execute(sa.select(table_for("Lead").c.Id)).scalars().all()
    finally:
        other.dispose()
    assert len(made) == 300 and len(set(made)) == 300
    assert sorted(stored) == sorted(made)
