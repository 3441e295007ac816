"""A record and its outbox rows commit together or not at all; all-or-none rolls back every record."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from sfmock.calls import api_call, login
from sfmock.core.options import ACTIVE_RULE
from sfmock.core.results import RecordInput
from sfmock.persistence.tables import outbox, table_for
from tests.conftest import DemoDb

ENTERPRISE = {"LastName": "Smith", "Company": "Acme", "Country": "India", "AnnualRevenue": "20000000"}


def _counts(demo: DemoDb) -> tuple[int, int]:
    with demo.db.session() as s:
        leads = s.execute(sa.select(sa.func.count()).select_from(table_for("Lead"))).scalar_one()
        mails = s.execute(sa.select(sa.func.count()).select_from(outbox)).scalar_one()
    return leads, mails


def _session(demo: DemoDb) -> str:
    return login(demo.db, "admin@acme.example", "sfmock-passwordSFMOCKTOKEN", caller_ip=None).session_id


def test_record_and_mail_commit_together(app_db: DemoDb) -> None:
    with api_call(app_db.db, _session(app_db), api="soap") as call:
        [result] = call.service.create([RecordInput("Lead", ENTERPRISE)], assignment=ACTIVE_RULE,
                                       notify_owner=True)
    assert result.success
    assert _counts(app_db) == (1, 3)


def test_a_failure_after_the_write_loses_both(app_db: DemoDb) -> None:
    with pytest.raises(RuntimeError), api_call(app_db.db, _session(app_db), api="soap") as call:
        call.service.create([RecordInput("Lead", ENTERPRISE)], assignment=ACTIVE_RULE, notify_owner=True)
        raise RuntimeError("the connection dropped before commit")
    assert _counts(app_db) == (0, 0)


def test_a_mail_that_cannot_be_written_takes_its_record_with_it(app_db: DemoDb, monkeypatch) -> None:
    """The database refuses an outbox row (a NULL recipient) after the record was written: the call fails and
    neither the record nor any of its mail rows remains."""
    from sfmock.persistence.store import SqlStore

    real = SqlStore.add_mail
    broken = {"first": True}

    def failing_add_mail(self, message):  # noqa: ANN001
        if broken["first"]:
            broken["first"] = False
            real(self, message)
            self.session.execute(sa.insert(outbox).values(org_id=self.org.org_id, recipient=None))
        real(self, message)

    monkeypatch.setattr(SqlStore, "add_mail", failing_add_mail)
    with api_call(app_db.db, _session(app_db), api="soap") as call, pytest.raises(sa.exc.IntegrityError):
        call.service.create([RecordInput("Lead", ENTERPRISE)], assignment=ACTIVE_RULE, notify_owner=True)
    assert _counts(app_db) == (0, 0)


def test_all_or_none_rolls_back_every_record(app_db: DemoDb) -> None:
    records = [RecordInput("Lead", ENTERPRISE), RecordInput("Lead", {"Company": "NoName"}),
               RecordInput("Lead", ENTERPRISE)]
    with api_call(app_db.db, _session(app_db), api="soap") as call:
        results = call.service.create(records, assignment=ACTIVE_RULE, notify_owner=True, all_or_none=True)
    assert [(r.success, r.id, [e.code for e in r.errors]) for r in results] == [
        (False, None, ["ALL_OR_NONE_OPERATION_ROLLED_BACK"]),
        (False, None, ["REQUIRED_FIELD_MISSING"]),
        (False, None, ["ALL_OR_NONE_OPERATION_ROLLED_BACK"]),
    ]
    assert _counts(app_db) == (0, 0)


def test_without_all_or_none_the_good_records_stay(app_db: DemoDb) -> None:
    records = [RecordInput("Lead", ENTERPRISE), RecordInput("Lead", {"Company": "NoName"})]
    with api_call(app_db.db, _session(app_db), api="soap") as call:
        results = call.service.create(records, assignment=ACTIVE_RULE, notify_owner=True)
    assert [r.success for r in results] == [True, False]
    assert _counts(app_db) == (1, 3)


def test_a_journal_row_that_cannot_be_written_does_not_fail_the_call(app_db: DemoDb, monkeypatch,
                                                                     caplog) -> None:
    from sfmock.persistence import journal as journal_rows

    def broken(*_args, **_kwargs):  # noqa: ANN002, ANN003
        raise sa.exc.DataError("INSERT INTO journal", {}, Exception("value too long"))

    monkeypatch.setattr(journal_rows, "write", broken)
    with api_call(app_db.db, _session(app_db), api="soap") as call:
        [result] = call.service.create([RecordInput("Lead", ENTERPRISE)], assignment=ACTIVE_RULE,
                                       notify_owner=True)
        call.journal.operation = "create"
    assert result.success and _counts(app_db) == (1, 3)
    assert "could not write the journal entry" in caplog.text


def test_a_journal_row_the_database_refuses_leaves_the_calls_writes(app_db: DemoDb, caplog) -> None:
    """The refusal comes from the database itself (door is NOT NULL): on SQLite only that statement is undone,
    on PostgreSQL the row's savepoint keeps the transaction usable; either way the record is committed."""
    records = [RecordInput("Lead", ENTERPRISE)]
    with api_call(app_db.db, _session(app_db), api="soap") as call:
        [result] = call.service.create(records, assignment=ACTIVE_RULE, notify_owner=True)
        call.journal.operation, call.journal.door = "create", None  # type: ignore[assignment]
    assert result.success and _counts(app_db) == (1, 3)
    assert "could not write the journal entry" in caplog.text
