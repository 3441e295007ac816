"""A multi-record write's held inserts (sfmock.persistence.insert_batch): a record whose savepoint rolls back
loses exactly its own rows, whether they were still held or already written because something read inside
it."""
from __future__ import annotations

import sqlalchemy as sa

from sfmock.persistence.org_cache import OrgCache
from sfmock.persistence.store import SqlStore
from sfmock.persistence.tables import table_for
from tests.conftest import DemoDb


def _lead(store: SqlStore, name: str) -> None:
    [record_id] = store.new_ids("00Q")
    store.insert("Lead", {"Id": record_id, "LastName": name, "Company": "Batch",
                          "Status": "Open - Not Contacted", "OwnerId": None, "IsDeleted": False})


def test_rolled_back_records_lose_their_rows_held_or_written(app_db: DemoDb) -> None:
    class Undone(Exception):
        pass

    with app_db.db.session() as sql:
        store = OrgCache.of(app_db.db).open(sql, app_db.org.org_id)
        with store.batched_inserts():
            with store.savepoint():
                _lead(store, "kept-1")
            try:
                with store.savepoint():
                    _lead(store, "held-then-undone")
                    raise Undone
            except Undone:
                pass
            try:
                with store.savepoint():
                    _lead(store, "written-then-undone")
                    assert store.find("Lead", {"Company": "Batch"}) != []  # a read writes what is held
                    raise Undone
            except Undone:
                pass
            with store.savepoint():
                _lead(store, "kept-2")
                store.find("Lead", {"Company": "Batch"})
            _lead(store, "kept-3")
    leads = table_for("Lead")
    with app_db.db.read() as sql:
        names = sql.execute(sa.select(leads.c.LastName).where(leads.c.Company == "Batch")).scalars().all()
    assert sorted(names) == ["kept-1", "kept-2", "kept-3"]
