"""A Bulk load keeps PostgreSQL's planner statistics of its table current
(sfmock.persistence.table_statistics): after 1,000 rows the table is analysed, and a lookup by Id is an index
lookup. SQLite needs nothing."""
from __future__ import annotations

import sqlalchemy as sa

from sfmock.persistence import table_statistics
from tests.integration.test_bulk2 import _load
from tests.integration.test_rest_fixtures import api

__all__ = ["api"]


def _analyses(db) -> int:  # noqa: ANN001
    with db.engine.connect() as conn:
        return int(conn.execute(sa.text(
            "SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'sobj_lead'")).scalar() or 0)


def test_a_bulk_load_analyses_its_table_on_postgresql(api) -> None:  # noqa: ANN001
    db = api.demo.db
    rows = table_statistics.BASE + 200
    data = "LastName,Company\n" + "".join(f"Row{i},Company {i}\n" for i in range(rows))
    if db.is_sqlite:
        assert _load(api, data)["numberRecordsProcessed"] == rows  # and no ANALYZE is attempted
        return
    before = _analyses(db)
    assert _load(api, data)["numberRecordsProcessed"] == rows
    # read the statistics afresh (a connection may keep the snapshot it read first)
    with db.engine.connect() as conn:
        conn.execute(sa.text("SELECT pg_stat_clear_snapshot()"))
    assert _analyses(db) > before
    lead = api.rows("Lead")[0]["Id"]
    with db.engine.connect() as conn:
        plan = [r[0].strip() for r in conn.execute(sa.text(
            'EXPLAIN SELECT "Id" FROM sobj_lead WHERE org_id = :org AND "Id" = :id AND "IsDeleted" IS false'),
            {"org": api.demo.org.org_id, "id": lead})]
    # an index lookup by the Id (the primary key, or (org_id, Id)), not a filter over the org's rows
    assert any(line.startswith("Index Cond:") and '("Id")' in line for line in plan), plan
