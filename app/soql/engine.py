"""Running SOQL for both doors: query / queryAll (run_query) and queryMore / nextRecordsUrl (query_more).

Results are plain Python (QueryPage of QueryRecords); the doors only serialise them. Batches hold up to
`batch_size` records, clamped to 200..2000 as Salesforce clamps QueryOptions.batchSize and the
Sforce-Query-Options header (default 2,000). Nothing is committed here: opening a cursor writes a row in the
caller's transaction (the unit of work commits it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from app.core.schema import registry
from app.soql import cursors
from app.soql.parser import parse
from app.soql.resolve import NAME_ENTITY
from app.soql.translate import Plan, Shape, build_plan

DEFAULT_BATCH = 2000
MIN_BATCH = 200
MAX_BATCH = 2000
AGGREGATE_TYPE = "AggregateResult"


@dataclass
class QueryRecord:
    """One record, fields in the order selected. A relationship's value is a nested QueryRecord (or None when
    the reference is empty); its `sobject` is the target object, or "Name" for a polymorphic relationship
    (Owner of a Lead or Case). `id` is always filled (even when Id was not selected), None only for an
    AggregateResult."""

    sobject: str
    id: str | None
    fields: list[tuple[str, Any]]

    def get(self, name: str) -> Any:
        """A field's value by name, case-insensitively (None when absent)."""
        low = name.lower()
        return next((value for key, value in self.fields if key.lower() == low), None)

    @property
    def url_type(self) -> str | None:
        """The object named in the record's REST url: the actual object of a "Name" record (by key prefix,
        ".../sobjects/User/005..." or ".../sobjects/Group/00G..."); None for an AggregateResult."""
        if self.id is None:
            return None
        if self.sobject == NAME_ENTITY:
            found = registry.by_prefix(self.id[:3])
            return found.name if found else self.sobject
        return self.sobject


@dataclass
class QueryPage:
    total_size: int
    done: bool
    records: list[QueryRecord]
    locator: str | None  # "<cursor id>-<position>" when not done


def clamp_batch(batch_size: int | None) -> int:
    if not batch_size:
        return DEFAULT_BATCH
    return max(MIN_BATCH, min(MAX_BATCH, int(batch_size)))


def run_query(
    conn: Any,
    org_id: str,
    soql: str,
    *,
    include_deleted: bool = False,
    batch_size: int = DEFAULT_BATCH,
    now: dt.datetime | None = None,
) -> QueryPage:
    """The first batch of a SOQL query in one org (`conn`: a SQLAlchemy Connection or Session).
    include_deleted=True is queryAll. `now` fixes the instant date literals (TODAY …) refer to."""
    now = _utc(now or dt.datetime.now(dt.UTC))
    plan = build_plan(parse(soql), org_id, include_deleted=include_deleted, now=now)
    if plan.kind == "count":
        # COUNT(): totalSize is the count, no records (SOQL reference, "COUNT()").
        return QueryPage(plan.window(conn.execute(plan.count).scalar_one()), True, [], None)
    if plan.kind == "aggregate":
        assert plan.rows is not None
        row = conn.execute(plan.rows).one()
        values = [(label, row[i]) for i, label in enumerate(plan.aggregate_labels)]
        return QueryPage(1, True, [QueryRecord(AGGREGATE_TYPE, None, values)], None)
    batch = clamp_batch(batch_size)
    total, records = _batch(conn, plan, 0, batch)
    if len(records) >= total:
        return QueryPage(total, True, records, None)
    cursor_id = cursors.open_cursor(conn, org_id, soql, include_deleted, now)
    return QueryPage(total, False, records, cursors.locator(cursor_id, len(records)))


def query_more(conn: Any, org_id: str, locator: str, *, batch_size: int = DEFAULT_BATCH) -> QueryPage:
    """The batch a locator points at; INVALID_QUERY_LOCATOR for a bad, unknown or foreign one."""
    cursor, position = cursors.find_cursor(conn, org_id, locator)
    plan = build_plan(
        parse(cursor.soql), org_id, include_deleted=cursor.include_deleted, now=cursor.created_at
    )
    if plan.kind != "rows":
        raise cursors.invalid_locator()
    total, records = _batch(conn, plan, position, clamp_batch(batch_size))
    end = position + len(records)
    if end >= total:
        return QueryPage(total, True, records, None)
    return QueryPage(total, False, records, cursors.locator(cursor.id, end))


def _batch(conn: Any, plan: Plan, position: int, batch: int) -> tuple[int, list[QueryRecord]]:
    """The total the query returns and its records from `position` on, at most `batch` of them."""
    total = plan.window(_matching(conn, plan))
    size = min(batch, total - position)
    if size <= 0:
        return total, []
    assert plan.rows is not None and plan.shape is not None
    rows = conn.execute(plan.rows.offset(plan.offset + position).limit(size)).mappings().all()
    return total, [_record(plan.shape, row) for row in rows]


_BOUNDED_COUNT = 50_000  # above it the bound saves little, and huge LIMITs overflow the databases' integers


def _matching(conn: Any, plan: Plan) -> int:
    """The matching rows, counted no further than OFFSET + LIMIT: totalSize never exceeds the LIMIT, so a
    `LIMIT 10` over 100,000 rows counts 10 of them, and the query stays as fast as the table grows."""
    if plan.limit is None or plan.rows is None or plan.offset + plan.limit > _BOUNDED_COUNT:
        return conn.execute(plan.count).scalar_one()
    bounded = plan.rows.order_by(None).limit(plan.offset + plan.limit).subquery()
    return conn.execute(sa.select(sa.func.count()).select_from(bounded)).scalar_one()


def _record(shape: Shape, row: Any) -> QueryRecord:
    fields: list[tuple[str, Any]] = []
    for name, entry in shape.entries:
        if isinstance(entry, Shape):
            fields.append((name, _record(entry, row) if row[entry.id_label] is not None else None))
        else:
            fields.append((name, _value(row[entry])))
    return QueryRecord(shape.sobject, row[shape.id_label], fields)


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return _utc(value)
    return value


def _utc(value: dt.datetime) -> dt.datetime:
    """Aware UTC; a naive value is taken as UTC (the database stores naive UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)
