"""Running SOSL for both doors: FIND {term} [IN group FIELDS] RETURNING Obj(fields WHERE … ORDER BY … LIMIT n
OFFSET m), … LIMIT n. One SQL statement per returned object: the object's SOQL plan (fields, parent paths,
WHERE, ORDER BY) plus "the record matches the search" against the full-text index
(sfmock.persistence.search_index), every value a bound parameter.

Salesforce facts (SOQL and SOSL Reference, "SOSL Syntax", "RETURNING", "LIMIT";
salesforce-schema-and-surface.md
6.6): without RETURNING every searchable object answers with its Id; a search returns at most 2,000 records
(LIMIT can only lower that); records come grouped by object in RETURNING order. Within an object sfmock orders
by the object's ORDER BY, else by Id [deviation: Salesforce orders by relevance].
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sfmock.core import clock
from sfmock.core.schema import SchemaRegistry, SObjectDef, registry
from sfmock.persistence import search_index
from sfmock.persistence.tables import table_for
from sfmock.soql import ast
from sfmock.soql.diagnostics import no_such_type, query_error
from sfmock.soql.engine import QueryRecord, in_zone, record_of
from sfmock.soql.parser import parse_search
from sfmock.soql.search_terms import Node, fts5, parse_term, tsquery
from sfmock.soql.translate import build_plan

MAX_RESULTS = 2000
_GROUPS = {"ALL": None, "SIDEBAR": None, "NAME": "name", "EMAIL": "email", "PHONE": "phone"}
_WEIGHTS = {"name": "A", "email": "B", "phone": "C"}


def run_search(
    conn: Any, org_id: str, text: str, *, now: dt.datetime | None = None, time_zone: str = "UTC",
    schema: SchemaRegistry = registry,
) -> list[QueryRecord]:
    """The records a SOSL statement finds in one org (RETURNING's fields and WHERE read the org's `schema`,
    custom fields included), in order; QueryError (MALFORMED_SEARCH, INVALID_SEARCH, INVALID_FIELD …) for a
    bad one."""
    search = parse_search(text)
    node = parse_term(search.term)
    group = _GROUPS[search.scope]
    remaining = min(search.limit if search.limit is not None else MAX_RESULTS, MAX_RESULTS)
    specs = search.objects or tuple(
        ast.SearchObject(obj.name, ast.Position(0, 1, 1)) for obj in search_index.objects()
    )
    now = in_zone(now or clock.now(), time_zone)
    found: list[QueryRecord] = []
    for spec in specs:
        if remaining <= 0:
            break
        records = _search_object(conn, org_id, search, spec, (node, group), remaining, now, schema)
        found += records
        remaining -= len(records)
    return found


def _search_object(
    conn: Any,
    org_id: str,
    search: ast.Search,
    spec: ast.SearchObject,
    term: tuple[Node, str | None],
    room: int,
    now: dt.datetime,
    schema: SchemaRegistry,
) -> list[QueryRecord]:
    obj = schema.get(spec.name)
    if obj is None or not obj.queryable:
        raise no_such_type(search.text, spec.at, spec.name)
    if obj.name not in {o.name for o in search_index.objects()}:
        # [UNCONFIRMED text] an object SOSL cannot search.
        raise query_error(
            "INVALID_TYPE", search.text, spec.at, f"entity type {obj.name} does not support search"
        )
    select = spec.select or (ast.FieldItem(ast.FieldPath(("Id",), spec.at)),)
    query = ast.Query(
        text=search.text,
        select=select,
        sobject=obj.name,
        sobject_at=spec.at,
        where=spec.where,
        order_by=spec.order_by,
        limit=spec.limit,
        offset=spec.offset,
    )
    plan = build_plan(query, org_id, include_deleted=False, now=now, schema=schema)
    if plan.kind != "rows" or any(isinstance(i, ast.SubqueryItem) for i in select):
        reason = "Aggregate functions and subqueries are not allowed in RETURNING"
        raise query_error("MALFORMED_SEARCH", search.text, spec.at, reason)
    assert plan.rows is not None and plan.shape is not None
    stmt = plan.rows.where(_matches(conn, obj, *term))
    limit = room if plan.limit is None else min(plan.limit, room)
    rows = conn.execute(stmt.offset(plan.offset).limit(limit)).mappings().all()
    return [record_of(plan.shape, row, now.tzinfo or dt.UTC) for row in rows]


def _matches(conn: Any, obj: SObjectDef, node: Node, group: str | None) -> Any:
    """The record matches the term in the group's fields: the object's standard ones (the index's own
    groups) and, for EMAIL and PHONE, the org's custom fields of that type (SOSL reference, "IN SearchGroup":
    "Search only email fields", "Search only phone number fields"; search_index.custom_columns)."""
    custom = search_index.custom_columns(obj, group) if group else ()
    fts = fts5(node, (group, *custom) if group else ())
    if custom:
        return search_index.matches(conn, obj, table_for(obj.name), fts, tsquery(node, None), group)
    return search_index.matches(conn, obj, table_for(obj.name), fts, tsquery(node, _WEIGHTS.get(group or "")))
