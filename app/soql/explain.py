"""REST `query?explain=<SOQL>`: the query plans Salesforce's optimizer would weigh (REST API, "Get Feedback on
Query Performance"): {"plans": [{cardinality, fields, leadingOperationType, notes, relativeCost,
sobjectCardinality, sobjectType}]}, cheapest first. sfmock's plan is plausible, not Salesforce's optimizer:
an equality or IN filter on an indexed field (Id, Name, OwnerId, CreatedDate, SystemModstamp, Email, a
reference field) offers an Index plan; a TableScan plan is always listed; cardinality is the real number of
matching rows, sobjectCardinality the object's rows in the org, relativeCost their ratio (TableScan: 1 plus
the ratio, never cheaper than an index)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from sfmock.core import clock
from sfmock.core.schema import SchemaRegistry, registry
from sfmock.persistence.tables import table_for
from sfmock.soql import ast
from sfmock.soql.parser import parse
from sfmock.soql.resolve import Resolver
from sfmock.soql.translate import build_plan

_INDEXED = frozenset({"id", "name", "ownerid", "createddate", "systemmodstamp", "email", "recordtypeid"})


def _indexed_filters(condition: ast.Condition | None, resolver: Resolver) -> list[str]:
    """Indexed fields compared with = or IN in the top-level AND of a filter (what an index can lead with)."""
    if condition is None:
        return []
    items = condition.items if isinstance(condition, ast.And) else (condition,)
    out = []
    for item in items:
        if not isinstance(item, ast.Comparison) or not isinstance(item.path, ast.FieldPath):
            continue
        if item.op not in ("=", "IN") or len(item.path.parts) != 1:
            continue
        col = resolver.column(item.path)
        if col.name.lower() in _INDEXED or col.type == "reference":
            out.append(col.name)
    return out


def explain(conn: Any, org_id: str, soql: str, now: dt.datetime | None = None,
            schema: SchemaRegistry = registry) -> dict[str, Any]:
    query = parse(soql)
    plan = build_plan(query, org_id, include_deleted=False, now=now or clock.now(), schema=schema)
    resolver = Resolver(query, schema)
    table = table_for(resolver.sobject.name)
    total = conn.execute(
        sa.select(sa.func.count()).where(table.c.org_id == org_id, table.c.IsDeleted == sa.false())
    ).scalar_one()
    matching = conn.execute(plan.count).scalar_one()
    ratio = matching / total if total else 0.0
    plans = []
    indexed = _indexed_filters(query.where, resolver)
    if indexed:
        plans.append(_plan(matching, indexed, "Index", round(ratio, 5), total, resolver.sobject.name))
    notes = (
        []
        if query.where is None
        else [
            {
                "description": "Not considering filter for optimization because unindexed",
                "fields": sorted({p.path.parts[-1] for p in _comparisons(query.where)
                                  if isinstance(p.path, ast.FieldPath)} - set(indexed)),
                "tableEnumOrId": resolver.sobject.name,
            }
        ]
    )
    notes = [n for n in notes if n["fields"]]
    scan = _plan(matching, [], "TableScan", round(1 + ratio, 5), total, resolver.sobject.name)
    scan["notes"] = notes
    plans.append(scan)
    return {"plans": plans}


def _comparisons(condition: ast.Condition) -> list[ast.Comparison]:
    if isinstance(condition, ast.Comparison):
        return [condition] if isinstance(condition.path, ast.FieldPath) else []
    if isinstance(condition, ast.Not):
        return _comparisons(condition.item)
    return [c for item in condition.items for c in _comparisons(item)]


def _plan(cardinality: int, fields: list[str], kind: str, cost: float, total: int, sobject: str) -> dict:
    return {
        "cardinality": cardinality,
        "fields": fields,
        "leadingOperationType": kind,
        "notes": [],
        "relativeCost": cost,
        "sobjectCardinality": total,
        "sobjectType": sobject,
    }
