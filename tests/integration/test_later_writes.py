"""A read call's journal entry is queued (sfmock.persistence.later_writes), never written by the call itself:
the call takes no write lock. The entry is in the journal for every reader of it, in call order; a locked
database keeps it queued until the lock is gone; a write session that rolls back gives the rows it took
back; a row that can no longer be written does not fail the write session that carries it."""
from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

from sfmock.persistence import journal as journal_rows
from sfmock.persistence.db import Database
from tests.integration.test_locks import locking, write_lock_held_by_another_process  # noqa: F401
from tests.integration.test_rest_fixtures import V, api  # noqa: F401

SOQL = {"q": "SELECT Id FROM Lead WHERE Company = 'Acme'"}


def _operations(caller) -> list[str]:  # noqa: ANN001
    journal = caller.client.get(f"/_sfmock/orgs/{caller.demo.org.org_id}/journal")
    assert journal.status_code == 200, journal.text
    return [e["operation"] for e in journal.json()]


def test_a_query_writes_nothing_itself_and_is_journalled_in_call_order(api) -> None:  # noqa: ANN001, F811
    if not api.demo.db.is_sqlite:
        pytest.skip("on PostgreSQL a read call writes its entry in its own transaction (MVCC: no waiting)")
    statements: list[str] = []

    def note(_conn, _cursor, statement, *_rest) -> None:  # noqa: ANN001
        if threading.current_thread().name != "sfmock-later-writes":  # the flusher writes what is queued
            statements.append(statement)

    assert api.get(f"{V}/query", params=SOQL).status_code == 200  # the caches filled (session, org, meter)
    event.listen(Engine, "before_cursor_execute", note)
    try:
        assert api.get(f"{V}/query", params=SOQL).status_code == 200
    finally:
        event.remove(Engine, "before_cursor_execute", note)
    assert "BEGIN IMMEDIATE" not in statements
    assert not [s for s in statements if s.lstrip().upper().startswith("INSERT")]
    api.create("Lead", LastName="Later", Company="Acme")
    assert api.get(f"{V}/query", params=SOQL).status_code == 200
    assert _operations(api)[-4:] == ["query", "query", "create", "query"]


def test_a_locked_database_keeps_the_entry_until_the_lock_is_gone(locking) -> None:  # noqa: ANN001, F811
    caller, db = locking
    with write_lock_held_by_another_process(sa.engine.make_url(db.url).database):
        assert caller.get(f"{V}/query", params=SOQL).status_code == 200
        time.sleep(0.3)  # the flusher has tried (and found the lock taken) at least once
        assert db.later
    deadline = time.monotonic() + 10
    while db.later and time.monotonic() < deadline:  # the flusher's next try writes it
        time.sleep(0.05)
    assert not db.later
    with db.read() as sql:
        assert [e["operation"] for e in journal_rows.list_entries(sql, caller.demo.org.org_id)][-1] == "query"


def test_a_rolled_back_write_session_gives_its_rows_back(app_db) -> None:  # noqa: ANN001
    db = Database(app_db.db.url)
    db.later.stop()  # no flusher: the queue is written only by the sessions below
    try:
        entry = journal_rows.JournalEntry(door="rest", operation="query")
        journal_rows.write_later(db.later, app_db.org.org_id, None, entry)
        with pytest.raises(RuntimeError), db.session():
            raise RuntimeError("the call failed")
        assert db.later
        with db.session() as sql:
            assert [e["operation"] for e in journal_rows.list_entries(sql, app_db.org.org_id)] == ["query"]
        assert not db.later
    finally:
        db.dispose()


def test_a_row_that_cannot_be_written_does_not_fail_the_session_that_carries_it(app_db) -> None:  # noqa: ANN001
    db = Database(app_db.db.url)
    db.later.stop()  # no flusher: the queue is written only by the session below
    try:
        gone = journal_rows.JournalEntry(door="rest", operation="query")
        journal_rows.write_later(db.later, "00D000000000000AAA", None, gone)  # no such org (foreign key)
        kept = journal_rows.JournalEntry(door="soap", operation="describeGlobal")
        journal_rows.write_later(db.later, app_db.org.org_id, None, kept)
        with db.session() as sql:
            sql.execute(sa.text("SELECT 1"))
        with db.read() as sql:
            operations = [e["operation"] for e in journal_rows.list_entries(sql, app_db.org.org_id)]
        assert operations == ["describeGlobal"]
        assert not db.later
    finally:
        db.dispose()
