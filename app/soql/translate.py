"""A parsed SOQL query -> SQLAlchemy Core statements over the sObject tables (bound parameters only).

Every statement is limited to one org and, unless queryAll, to rows with IsDeleted = false. Relationship
paths become LEFT OUTER JOINs on aliased tables (one per path; a polymorphic Owner joins User and Group,
and the one whose Id matched supplies the values). Rows are ordered as asked, then by Id, so that paging
by offset is stable; text sorts case-insensitively.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from sfmock.core.schema import SchemaRegistry, registry
from sfmock.persistence.tables import table_for
from sfmock.soql import aggregate, ast
from sfmock.soql.diagnostics import malformed
from sfmock.soql.filters import FilterBuilder, kind_of
from sfmock.soql.operands import Operand, Operands
from sfmock.soql.resolve import Column, Hop, Resolver
from sfmock.soql.select import SelectList, Shape, Subquery


@dataclass
class Plan:
    """What to run. kind: "rows" (records), "count" (COUNT(): a number only), "aggregate" (one row)."""

    kind: str
    count: sa.Select  # the number of matching rows, before LIMIT/OFFSET
    rows: sa.Select | None = None  # ordered, without LIMIT/OFFSET
    shape: Shape | None = None
    aggregate_labels: list[str] = field(default_factory=list)
    aggregate_types: list[str] = field(default_factory=list)
    aggregate_formats: list[str | None] = field(default_factory=list)  # FORMAT() a column as this type
    offset: int = 0
    limit: int | None = None

    def window(self, matching: int) -> int:
        """How many rows the query returns once its OFFSET and LIMIT apply."""
        size = max(0, matching - self.offset)
        return size if self.limit is None else min(size, self.limit)


class _Joins:
    """The aliased tables reached through relationship paths, created on first use, joined in order."""

    def __init__(self, base: sa.FromClause, org_id: str, prefix: str = "j") -> None:
        self.base = base
        self.org_id = org_id
        self.prefix = prefix
        self._nodes: dict[tuple[str, ...], list[tuple[str, sa.FromClause]]] = {}
        self._order: list[tuple[sa.FromClause, ColumnElement]] = []

    def targets(self, hops: tuple[Hop, ...]) -> list[tuple[str, sa.FromClause]]:
        key = tuple(h.name.lower() for h in hops)
        if key in self._nodes:
            return self._nodes[key]
        hop = hops[-1]
        parent = self.base if len(hops) == 1 else self.targets(hops[:-1])[0][1]
        reference = parent.c[hop.field.column]
        nodes: list[tuple[str, sa.FromClause]] = []
        for target in hop.targets:
            alias = table_for(target.name).alias(f"{self.prefix}{len(self._order)}")
            self._order.append((alias, sa.and_(alias.c.Id == reference, alias.c.org_id == self.org_id)))
            nodes.append((target.name, alias))
        self._nodes[key] = nodes
        return nodes

    def value(self, col: Column) -> ColumnElement:
        if not col.hops:
            return self.base.c[col.column]
        nodes = self.targets(col.hops)
        if len(nodes) == 1:
            return nodes[0][1].c[col.column]
        whens = []
        for (target, alias), source in zip(nodes, col.sources, strict=True):
            if source is not None:
                whens.append((alias.c.Id.is_not(None), alias.c[source.column]))
            elif col.name == "Type":  # Name.Type: "User" for a user; a Group row has its own Type ("Queue")
                whens.append((alias.c.Id.is_not(None), sa.literal(target, sa.String)))
        return sa.case(*whens)

    def record_id(self, hops: tuple[Hop, ...]) -> ColumnElement:
        nodes = self.targets(hops)
        if len(nodes) == 1:
            return nodes[0][1].c.Id
        return sa.func.coalesce(*(alias.c.Id for _, alias in nodes))

    def from_clause(self) -> sa.FromClause:
        joined: sa.FromClause = self.base
        for alias, on in self._order:
            joined = joined.outerjoin(alias, on)
        return joined


def build_plan(query: ast.Query, org_id: str, *, include_deleted: bool, now: dt.datetime,
               schema: SchemaRegistry = registry) -> Plan:
    resolver = Resolver(query, schema)
    base = table_for(resolver.sobject.name)
    joins = _Joins(base, org_id)
    operands = Operands(resolver, joins.value, now.tzinfo)
    where: list[ColumnElement[bool]] = [base.c.org_id == org_id]
    if not include_deleted:
        where.append(base.c.IsDeleted == sa.false())
    if query.where is not None:
        where.append(_filters(resolver, joins, operands, org_id, now).build(query.where))
    window: dict[str, Any] = {"offset": query.offset or 0, "limit": query.limit}
    grouped = aggregate.is_aggregate(query)

    def counting() -> sa.Select:
        return sa.select(sa.func.count()).select_from(joins.from_clause()).where(*where)

    if resolver.is_count_rows():
        resolver.fields()  # COUNT() must stand alone
        if query.group_by:
            # COUNT() with GROUP BY counts the groups [UNCONFIRMED].
            keys = [operands.of(g).sql for g in query.group_by]
            groups = sa.select(*keys).select_from(joins.from_clause()).where(*where).group_by(*keys)
            return Plan("count", sa.select(sa.func.count()).select_from(groups.subquery()), **window)
        return Plan("count", counting(), **window)
    if grouped:
        built = aggregate.build(query, operands, joins.from_clause, where, now)
        labels: dict[str, Any] = {"aggregate_labels": built.labels, "aggregate_types": built.types,
                                  "aggregate_formats": built.formats}
        return Plan("aggregate", counting(), built.rows, **labels)
    selected, shape = SelectList(query, resolver, joins).build(base.c.Id)
    for _, entry in shape.entries:
        if isinstance(entry, Subquery):
            entry.plan = build_plan(entry.query, org_id, include_deleted=include_deleted, now=now)
            if entry.plan.kind != "rows":
                reason = "Aggregate functions are not allowed in a subquery"
                raise malformed(query.text, entry.query.sobject_at, reason)
    order = _order_by(resolver, joins, operands, query.order_by)
    rows = sa.select(*selected).select_from(joins.from_clause()).where(*where).order_by(*order, base.c.Id)
    return Plan("rows", counting(), rows, shape, **window)


def _filters(
    resolver: Resolver, joins: _Joins, operands: Operands, org_id: str, now: dt.datetime
) -> FilterBuilder:
    """WHERE: functions of fields allowed (date functions), aggregates not; semi-joins one level deep."""

    def call(node: ast.Call) -> Operand:
        operand = operands.of(node)
        if operand.aggregate:
            # [UNCONFIRMED text] aggregates filter groups in HAVING, never rows in WHERE.
            reason = "Aggregate functions are not allowed in the WHERE clause; use HAVING"
            raise malformed(resolver.text, node.at, reason)
        return operand

    def semi_join(cmp: ast.Comparison, outer: Column) -> sa.Select:
        if not isinstance(cmp.value, ast.Query):
            raise TypeError("a semi-join is built only for a sub-query")
        return _semi_join_select(cmp.value, org_id, now, resolver.schema)

    return FilterBuilder(resolver, joins.value, now, call=call, semi_join=semi_join)


def _semi_join_select(inner: ast.Query, org_id: str, now: dt.datetime,
                      schema: SchemaRegistry = registry) -> sa.Select:
    """The inner SELECT of `Id IN (SELECT LeadId FROM …)` (SOQL reference, "Semi-Joins with IN and Anti-Joins
    with NOT IN"): one Id or reference field, no ORDER BY or LIMIT, no semi-join inside
    [texts UNCONFIRMED]."""
    resolver = Resolver(inner, schema)
    text = inner.text
    items = inner.select
    if len(items) != 1 or not isinstance(items[0], ast.FieldItem):
        raise malformed(text, inner.sobject_at, "semi join sub-selects can select only one field")
    col = resolver.column(items[0].path)
    if kind_of(col.type) != "id":
        reason = f"semi join sub selects can only query id fields, cannot use: '{col.written}'"
        raise malformed(text, col.at, reason)
    if inner.order_by or inner.limit is not None or inner.offset is not None or inner.group_by:
        reason = "semi join sub-selects cannot use ORDER BY, LIMIT or GROUP BY"
        raise malformed(text, inner.sobject_at, reason)
    base = table_for(resolver.sobject.name).alias("s")
    joins = _Joins(base, org_id, prefix="sj")
    where: list[ColumnElement[bool]] = [base.c.org_id == org_id, base.c.IsDeleted == sa.false()]
    if inner.where is not None:
        operands = Operands(resolver, joins.value, now.tzinfo)
        where.append(FilterBuilder(resolver, joins.value, now, call=operands.of).build(inner.where))
    value = joins.value(col)
    return sa.select(value).select_from(joins.from_clause()).where(*where, value.is_not(None)).correlate(None)


def _order_by(
    resolver: Resolver, joins: _Joins, operands: Operands, items: tuple[ast.OrderItem, ...]
) -> list[ColumnElement]:
    out: list[ColumnElement] = []
    for item in items:
        if isinstance(item.path, ast.Call):
            operand = operands.of(item.path)
            if operand.aggregate:
                reason = f"Ordered field must be grouped or aggregated: {item.path.text}"
                raise malformed(resolver.text, item.path.at, reason)
            col, expr = operand.column, operand.sql
        else:
            col = resolver.sortable(resolver.column(item.path))
            expr = joins.value(col)
        if kind_of(col.type) == "text":
            expr = sa.func.lower(expr)
        expr = expr.desc() if item.descending else expr.asc()
        out.append(expr.nulls_first() if item.effective_nulls_first else expr.nulls_last())
    return out
