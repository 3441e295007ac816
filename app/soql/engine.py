"""Running SOQL for both doors: query / queryAll (run_query) and queryMore / nextRecordsUrl (query_more).

Results are plain Python (QueryPage of QueryRecords); the doors only serialise them. Batches hold up to
`batch_size` records, clamped to 200..2000 as Salesforce clamps QueryOptions.batchSize and the
Sforce-Query-Options header (default 2,000). Nothing is committed here: opening a cursor writes a row in the
caller's transaction (the unit of work commits it).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa

from sfmock.core import clock
from sfmock.core.schema import SchemaRegistry, registry
from sfmock.soql import cursors, formats, subqueries
from sfmock.soql.diagnostics import keyword_position, malformed
from sfmock.soql.plan_cache import plan_for
from sfmock.soql.resolve import NAME_ENTITY
from sfmock.soql.select import Shape, Subquery, Typeof
from sfmock.soql.translate import Plan

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


# What a database says when a statement is beyond its own size limits (SQLite: bound parameters, expression
# depth, parser stack; PostgreSQL: stack depth). Filters are balanced trees (app/soql/filters.py), so a
# statement within SOQL's 100,000 characters stays inside them; this is the net should another shape reach
# them.
_TOO_COMPLEX = re.compile(r"too many SQL variables|Expression tree is too large|parser stack overflow|"
                          r"stack depth limit exceeded|too many terms", re.IGNORECASE)


@contextmanager
def _within_database_limits(soql: str) -> Iterator[None]:
    """A statement the database refuses for its size is MALFORMED_QUERY at the WHERE clause, never a 500
    (Salesforce's own wording for this is [UNCONFIRMED])."""
    try:
        yield
    except sa.exc.DBAPIError as error:
        if not _TOO_COMPLEX.search(str(error.orig)):
            raise
        raise malformed(soql, keyword_position(soql, "WHERE"), "The query is too complex to run.") from None


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
    schema: SchemaRegistry = registry,
    time_zone: str = "UTC",
) -> QueryPage:
    """The first batch of a SOQL query in one org (`conn`: a SQLAlchemy Connection or Session), against the
    org's `schema`. include_deleted=True is queryAll. `now` fixes the instant date literals (TODAY …) refer
    to; they are days of the org's `time_zone` (an IANA name; UTC by default)."""
    now = in_zone(now or clock.now(), time_zone)
    plan = plan_for(soql, org_id, include_deleted=include_deleted, now=now, schema=schema)
    with _within_database_limits(soql):
        return _first_page(conn, org_id, soql, plan, include_deleted, batch_size, now)


def _first_page(conn: Any, org_id: str, soql: str, plan: Plan, include_deleted: bool, batch_size: int,
                now: dt.datetime) -> QueryPage:
    if plan.kind == "count":
        # COUNT(): totalSize is the count, no records (SOQL reference, "COUNT()").
        return QueryPage(plan.window(conn.execute(plan.count).scalar_one()), True, [], None)
    if plan.kind == "aggregate":
        # Every group in one batch: a GROUP BY query cannot be continued with queryMore
        # (see sfmock.soql.aggregate).
        assert plan.rows is not None
        zone = now.tzinfo or dt.UTC
        records = [_aggregate_record(plan, row, zone) for row in conn.execute(plan.rows).all()]
        return QueryPage(len(records), True, records, None)
    batch = clamp_batch(batch_size)
    total, records = _batch(conn, plan, 0, batch, now.tzinfo or dt.UTC)
    if len(records) >= total:
        return QueryPage(total, True, records, None)
    cursor_id = cursors.open_cursor(conn, org_id, soql, include_deleted, now)
    return QueryPage(total, False, records, cursors.locator(cursor_id, len(records)))


def query_more(conn: Any, org_id: str, locator: str, *, batch_size: int = DEFAULT_BATCH,
               schema: SchemaRegistry = registry, time_zone: str = "UTC") -> QueryPage:
    """The batch a locator points at; INVALID_QUERY_LOCATOR for a bad, unknown or foreign one."""
    cursor, position = cursors.find_cursor(conn, org_id, locator)
    now = in_zone(cursor.created_at, time_zone)
    plan = plan_for(cursor.soql, org_id, include_deleted=cursor.include_deleted, now=now, schema=schema)
    if plan.kind != "rows":
        raise cursors.invalid_locator()
    with _within_database_limits(cursor.soql):
        total, records = _batch(conn, plan, position, clamp_batch(batch_size), now.tzinfo or dt.UTC)
    end = position + len(records)
    if end >= total:
        return QueryPage(total, True, records, None)
    return QueryPage(total, False, records, cursors.locator(cursor.id, end))


def _batch(conn: Any, plan: Plan, position: int, batch: int,
           zone: dt.tzinfo) -> tuple[int, list[QueryRecord]]:
    """The total the query returns and its records from `position` on, at most `batch` of them; FORMAT()
    shows dateTimes in `zone`, the running user's."""
    total = plan.window(_matching(conn, plan))
    size = min(batch, total - position)
    if size <= 0:
        return total, []
    assert plan.rows is not None and plan.shape is not None
    rows = conn.execute(plan.rows.offset(plan.offset + position).limit(size)).mappings().all()
    children = subqueries.run(
        conn, plan.shape, [row["r"] for row in rows],
        lambda shape, row, nested: _record(shape, row, nested, zone),
        lambda kept: QueryPage(len(kept), True, kept, None),
    )
    return total, [_record(plan.shape, row, children, zone) for row in rows]


_BOUNDED_COUNT = 50_000  # above it the bound saves little, and huge LIMITs overflow the databases' integers


def _matching(conn: Any, plan: Plan) -> int:
    """The matching rows, counted no further than OFFSET + LIMIT: totalSize never exceeds the LIMIT, so a
    `LIMIT 10` over 100,000 rows counts 10 of them, and the query stays as fast as the table grows."""
    if plan.limit is None or plan.rows is None or plan.offset + plan.limit > _BOUNDED_COUNT:
        return conn.execute(plan.count).scalar_one()
    bounded = plan.rows.order_by(None).limit(plan.offset + plan.limit).subquery()
    return conn.execute(sa.select(sa.func.count()).select_from(bounded)).scalar_one()


def _aggregate_record(plan: Plan, row: Any, zone: dt.tzinfo) -> QueryRecord:
    """One group as an AggregateResult; FORMAT() shows a dateTime in `zone`, the running user's."""
    values = []
    columns = zip(plan.aggregate_labels, plan.aggregate_types, plan.aggregate_formats, strict=True)
    for i, (label, kind, format_as) in enumerate(columns):
        value = row[i]
        if value is not None and kind == "int":
            value = int(value)
        elif value is not None and kind in ("double", "currency", "percent"):
            value = float(value)
        elif isinstance(value, str) and kind == "date":  # SQLite's date() gives text
            value = dt.date.fromisoformat(value)
        value = _value(value)
        if format_as is not None and value is not None:
            value = formats.formatted(value, format_as, zone)
        values.append((label, value))
    return QueryRecord(AGGREGATE_TYPE, None, values)


def record_of(shape: Shape, row: Any, zone: dt.tzinfo = dt.UTC) -> QueryRecord:
    """One row of a plan without child subqueries as a record (SOSL's RETURNING rows)."""
    return _record(shape, row, {}, zone)


def _record(shape: Shape, row: Any, children: dict, zone: dt.tzinfo) -> QueryRecord:
    fields: list[tuple[str, Any]] = []
    for name, entry in shape.entries:
        if isinstance(entry, Shape):
            fields.append((name, _record(entry, row, {}, zone) if row[entry.id_label] is not None else None))
        elif isinstance(entry, Typeof):
            fields.append((name, _typeof(entry, row)))
        elif isinstance(entry, Subquery):
            # A parent without such children has null here (REST and SOAP alike).
            fields.append((name, children.get(name, {}).get(row[shape.id_label])))
        else:
            value = _value(row[entry])
            if entry in shape.formats and value is not None:
                value = formats.formatted(value, shape.formats[entry], zone)
            fields.append((name, value))
    return QueryRecord(shape.sobject, row[shape.id_label], fields)


def _typeof(entry: Typeof, row: Any) -> QueryRecord | None:
    record_id = row[entry.id_label]
    if record_id is None:
        return None
    found = registry.by_prefix(record_id[:3])
    type_name = found.name if found else NAME_ENTITY
    pairs = entry.branches.get(type_name, entry.otherwise)
    return QueryRecord(type_name, record_id, [(name, _value(row[label])) for name, label in pairs])


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return _utc(value)
    return value


def in_zone(now: dt.datetime, time_zone: str) -> dt.datetime:
    """`now` (naive means UTC) in the org's time zone; an unknown zone name is read as UTC."""
    try:
        zone: dt.tzinfo = ZoneInfo(time_zone) if time_zone and time_zone != "UTC" else dt.UTC
    except (ZoneInfoNotFoundError, ValueError):
        zone = dt.UTC
    return _utc(now).astimezone(zone)


def _utc(value: dt.datetime) -> dt.datetime:
    """Aware UTC; a naive value is taken as UTC (the database stores naive UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)
