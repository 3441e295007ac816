"""The SELECT list of a record query -> the SQL columns and the Shape that turns a row back into a record:
plain fields and parent paths, FIELDS(ALL|STANDARD|CUSTOM), toLabel() / FORMAT(), TYPEOF on a polymorphic
relationship, and parent-to-child subqueries (run afterwards by the engine, one statement per page).

- FIELDS() (SOQL reference, "FIELDS()"): ALL and CUSTOM need a LIMIT of at most 200; a field also named
  elsewhere in the list is "duplicate field selected".
- toLabel(f) answers the picklist label under the field's own name; sfmock's labels are the values.
- FORMAT(f) answers the value formatted for the en_US locale, a dateTime in the user's time zone, under the
  field's name or its alias [deviation: one locale] (sfmock.soql.formats).
- TYPEOF Owner WHEN User THEN … ELSE … END (SOQL reference, "TYPEOF"): the record's fields come from the
  branch of its actual type; its type is that object ("User" / "Group").
- Subqueries (SOQL reference, "Relationship Queries"): one level, on a child relationship of the queried
  object; their value is a QueryResult, or null when the parent has no such child.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from sfmock.core.schema import registry
from sfmock.soql import ast
from sfmock.soql.children import child_relationship
from sfmock.soql.diagnostics import duplicate_field, malformed, no_such_field, query_error
from sfmock.soql.resolve import Column, Resolver

FIELDS_LIMIT = 200
_TO_FIELD = frozenset({"TOLABEL", "FORMAT"})


@dataclass
class Shape:
    """How one result row becomes a record: its type, the label of its Id, its fields in SELECT order
    (a nested Shape for a relationship, a Typeof or a Subquery)."""

    sobject: str
    id_label: str
    entries: list[tuple[str, object]] = field(default_factory=list)
    formats: dict[str, str] = field(default_factory=dict)  # column label -> field type, for FORMAT()

    def child(self, name: str) -> Shape | None:
        for entry_name, entry in self.entries:
            if isinstance(entry, Shape) and entry_name == name:
                return entry
        return None


@dataclass
class Typeof:
    """TYPEOF: the Id label of the related record, and per object name the (field, label) pairs to show."""

    id_label: str
    branches: dict[str, list[tuple[str, str]]]
    otherwise: list[tuple[str, str]]


@dataclass
class Subquery:
    """A child subquery: the query on the child object, the reference field that points at the parent, and
    its plan (set by translate.build_plan)."""

    query: ast.Query
    parent_field: str
    plan: Any = None


class SelectList:
    def __init__(self, query: ast.Query, resolver: Resolver, joins: Any) -> None:
        self.query = query
        self.text = query.text
        self.resolver = resolver
        self.joins = joins  # translate._Joins: a Column's SQL, a path's record Id, a path's joined tables
        self.selected: list[ColumnElement] = []
        self.shape = Shape(resolver.sobject.name, "r")
        self.seen: set[tuple[str, ...]] = set()

    def build(self, base_id: ColumnElement) -> tuple[list[ColumnElement], Shape]:
        self.selected.append(base_id.label("r"))
        for item in self.query.select:
            if isinstance(item, ast.FieldItem):
                self._column(self.resolver.column(item.path))
            elif isinstance(item, ast.CallItem):
                self._call(item)
            elif isinstance(item, ast.SubqueryItem):
                self._subquery(item)
            elif isinstance(item, ast.TypeofItem):
                self._typeof(item)
            else:  # COUNT() beside fields
                raise malformed(self.text, item.at, "COUNT() must be the only element in the SELECT list")
        return self.selected, self.shape

    def _column(self, col: Column, format_as: str | None = None, alias: str | None = None) -> None:
        key = (alias.lower(),) if alias else col.key
        if key in self.seen:
            raise duplicate_field(alias or col.label, col.at)
        self.seen.add(key)
        label = f"c{len(self.selected)}"
        self.selected.append(self.joins.value(col).label(label))
        if format_as is not None:
            self.shape.formats[label] = format_as
        if alias:
            # SOQL reference, "FORMAT()": "The FORMAT function supports aliasing. In addition, aliasing is
            # required when the query includes the same field multiple times" (SELECT Id, LastModifiedDate,
            # FORMAT(LastModifiedDate) formattedDate): the value answers under the alias, on the record.
            self.shape.entries.append((alias, label))
            return
        node = self.shape
        for depth, hop in enumerate(col.hops):
            child = node.child(hop.name)
            if child is None:
                child = Shape(hop.record_type, f"h{len(self.selected)}")
                self.selected.append(self.joins.record_id(col.hops[: depth + 1]).label(child.id_label))
                node.entries.append((hop.name, child))
            node = child
        node.entries.append((col.name, label))

    def _call(self, item: ast.CallItem) -> None:
        call = item.call
        if call.name == "FIELDS":
            self._fields(call)
            return
        if call.name in _TO_FIELD and len(call.args) == 1 and isinstance(call.args[0], ast.FieldPath):
            col = self.resolver.column(call.args[0])
            self._column(col, col.type if call.name == "FORMAT" else None, item.alias)
            return
        # Date functions answer only in aggregate queries (SOQL reference, "Date Functions")
        # [UNCONFIRMED text].
        raise malformed(self.text, call.at, f"Field must be grouped or aggregated: {call.text}")

    def _fields(self, call: ast.Call) -> None:
        arg = call.args[0] if len(call.args) == 1 else None
        kind = arg.text.upper() if isinstance(arg, ast.FieldPath) and len(arg.parts) == 1 else None
        if kind not in ("ALL", "STANDARD", "CUSTOM"):
            raise malformed(self.text, call.at, "FIELDS() takes ALL, STANDARD or CUSTOM")
        limit = self.query.limit
        if kind != "STANDARD" and (limit is None or limit > FIELDS_LIMIT):
            raise malformed(
                self.text, call.at, f"The SOQL FIELDS function must have a LIMIT of at most {FIELDS_LIMIT}"
            )
        for f in self.resolver.sobject.api_fields():
            custom = f.name.endswith("__c")
            if kind == "ALL" or (kind == "CUSTOM") == custom:
                self._column(self.resolver.column(ast.FieldPath((f.name,), call.at)))

    def _typeof(self, item: ast.TypeofItem) -> None:
        ref = self.resolver.sobject.relationship(item.relationship)
        if ref is None or len(ref.reference_to) < 2:
            reason = f"TYPEOF expects a polymorphic relationship, not {item.relationship}"
            raise query_error("INVALID_FIELD", self.text, item.at, reason)
        hop_path = ast.FieldPath((item.relationship, "Id"), item.at)
        hops = self.resolver.column(hop_path).hops
        id_label = f"t{len(self.selected)}"
        self.selected.append(self.joins.record_id(hops).label(id_label))
        branches: dict[str, list[tuple[str, str]]] = {}
        for type_name, paths in item.whens:
            target = registry.get(type_name)
            if target is None or target.name not in ref.reference_to:
                reason = f"TYPEOF: {type_name} is not a type of {item.relationship}"
                raise query_error("INVALID_FIELD", self.text, item.at, reason)
            branches[target.name] = [self._typed(hops, target.name, p) for p in paths]
        otherwise = [self._otherwise(item.relationship, p) for p in item.otherwise]
        self.shape.entries.append(
            (ref.relationship_name or item.relationship, Typeof(id_label, branches, otherwise))
        )

    def _typed(self, hops: tuple, type_name: str, path: ast.FieldPath) -> tuple[str, str]:
        target = registry.get(type_name)
        assert target is not None
        found = target.field(path.parts[-1]) if len(path.parts) == 1 else None
        if found is None or found.hidden:
            raise no_such_field(self.text, path.at, path.text, type_name)
        alias = next(a for name, a in self._targets(hops) if name == type_name)
        label = f"c{len(self.selected)}"
        self.selected.append(alias.c[found.name].label(label))
        return found.name, label

    def _targets(self, hops: tuple) -> list:
        return self.joins.targets(hops)

    def _otherwise(self, relationship: str, path: ast.FieldPath) -> tuple[str, str]:
        col = self.resolver.column(ast.FieldPath((relationship, *path.parts), path.at))
        label = f"c{len(self.selected)}"
        self.selected.append(self.joins.value(col).label(label))
        return col.name, label

    def _subquery(self, item: ast.SubqueryItem) -> None:
        inner = item.query
        found = child_relationship(self.resolver.sobject, inner.sobject, self.resolver.schema)
        if found is None:
            # Salesforce's text for an unknown child relationship (INVALID_TYPE).
            reason = (
                f"Didn't understand relationship '{inner.sobject}' in FROM part of query call. If you are "
                "attempting to use a custom relationship, be sure to append the '__r' after the custom "
                "relationship name. Please reference your WSDL or the describe call for the appropriate "
                "names."
            )
            raise query_error("INVALID_TYPE", self.text, inner.sobject_at, reason)
        name, child, ref = found
        if any(isinstance(i, ast.SubqueryItem) for i in inner.select):
            raise malformed(
                self.text, inner.sobject_at, "Nesting of subqueries is not supported [UNCONFIRMED]"
            )
        if inner.scope is not None:
            # SOQL reference, "USING SCOPE": not in subqueries.
            raise malformed(self.text, inner.sobject_at, "USING SCOPE is not allowed in a subquery")
        child_query = ast.Query(**{**inner.__dict__, "sobject": child.name})
        self.shape.entries.append((name, Subquery(child_query, ref.name)))


def parent_filter(column: ColumnElement, parent_ids: list[str]) -> ColumnElement[bool]:
    return column.in_(parent_ids) if parent_ids else sa.false()
