"""REST `query?q=…&columns=true`: the column metadata of a query, without running it (as the sf CLI reads it:
`columnMetadata[]` of {aggregate, apexType, booleanType, columnName, custom, displayName, foreignKeyName,
insertable, joinColumns, numberType, textType, updatable}, nested through joinColumns; plus entityName,
groupBy, idSelected, keyPrefix [those four UNCONFIRMED]). A parent path is one entry per relationship
(`Owner.Name` -> {columnName: "Owner", foreignKeyName: "OwnerId", joinColumns: [Name]}); a child subquery is
{aggregate: true, columnName: "Cases", joinColumns: [...]}; an aggregate function is {aggregate: true,
columnName: "expr0" or its alias, displayName: "avg(NumberOfEmployees)"}
(salesforce-schema-and-surface.md 6.5).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sfmock.core.schema import FieldDef, SchemaRegistry, registry
from sfmock.soql import aggregate, ast
from sfmock.soql.builder import AGGREGATES
from sfmock.soql.children import child_relationship
from sfmock.soql.functions import aggregate_type, date_function_type
from sfmock.soql.parser import parse
from sfmock.soql.resolve import Resolver
from sfmock.soql.translate import build_plan

_APEX = {
    "id": "Id",
    "reference": "Id",
    "boolean": "Boolean",
    "int": "Integer",
    "double": "Double",
    "currency": "Double",
    "percent": "Double",
    "date": "Date",
    "datetime": "Datetime",
}
_NUMBERS = frozenset({"int", "double", "currency", "percent"})


def _entry(
    name: str,
    *,
    field: FieldDef | None = None,
    aggregate_: bool = False,
    display: str | None = None,
    kind: str | None = None,
) -> dict[str, Any]:
    kind = kind or (field.type if field else None)
    return {
        "aggregate": aggregate_,
        "apexType": None if kind is None or (aggregate_ and field is None) else _APEX.get(kind, "String"),
        "booleanType": kind == "boolean",
        "columnName": name,
        "custom": name.endswith("__c"),
        "displayName": display or name,
        "foreignKeyName": None,
        "insertable": bool(field and field.createable),
        "joinColumns": [],
        "numberType": kind in _NUMBERS,
        "textType": kind is not None and kind not in _NUMBERS and kind not in ("boolean", "date", "datetime"),
        "updatable": bool(field and field.updateable),
    }


def _call_type(call: ast.Call, resolver: Resolver) -> str:
    if call.name in AGGREGATES:
        arg = call.args[0] if call.args else None
        field_type = resolver.column(arg).type if isinstance(arg, ast.FieldPath) else "int"
        return aggregate_type(call.name, field_type)
    return "int" if call.name == "GROUPING" else date_function_type(call.name)


def _function_of_column(call: ast.Call) -> bool:
    """An aggregate or date function, or FORMAT() of one; not toLabel(f) or FORMAT(f) of a field."""
    if call.name in ("TOLABEL", "FORMAT"):
        return len(call.args) == 1 and isinstance(call.args[0], ast.Call)
    return True


def _fields(query: ast.Query, resolver: Resolver, grouped: bool) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    unnamed = 0
    for item in query.select:
        if isinstance(item, ast.CallItem) and item.call.name == "FIELDS":
            kind = item.call.args[0].text.upper() if item.call.args else ""
            for f in resolver.sobject.api_fields():
                if kind == "ALL" or (kind == "CUSTOM") == f.name.endswith("__c"):
                    out.append(_entry(f.name, field=f))
            continue
        if isinstance(item, ast.CallItem) and _function_of_column(item.call):
            # FORMAT(aggregate) is described as its aggregate, as FORMAT(field) is as its field.
            call = item.call.args[0] if item.call.name == "FORMAT" else item.call
            assert isinstance(call, ast.Call)
            name = item.alias
            if name is None:
                name, unnamed = f"expr{unnamed}", unnamed + 1
            display = f"{call.name.lower()}({', '.join(a.text for a in call.args)})"
            out.append(_entry(name, aggregate_=True, display=display, kind=_call_type(call, resolver)))
            continue
        if isinstance(item, ast.SubqueryItem):
            child = item.query
            found = child_relationship(resolver.sobject, child.sobject, resolver.schema)
            assert found is not None  # build_plan has checked it
            name, child_obj, _ = found
            inner = Resolver(ast.Query(**{**child.__dict__, "sobject": child_obj.name}), resolver.schema)
            entry = _entry(name, aggregate_=True)
            entry["joinColumns"] = _fields(inner.query, inner, False)
            out.append(entry)
            continue
        if isinstance(item, ast.TypeofItem):
            entry = _entry(item.relationship)
            entry["foreignKeyName"] = f"{item.relationship}Id"
            out.append(entry)
            continue
        path = item.call.args[0] if isinstance(item, ast.CallItem) else item.path
        if not isinstance(path, ast.FieldPath):
            continue  # COUNT() names no column; toLabel() and FORMAT() take a field (the resolver checks)
        col = resolver.column(path)
        leaf = _entry(
            item.alias or col.name,
            field=next((s for s in col.sources if s), None),
            aggregate_=grouped,
            kind=col.type,
        )
        if col.hops:  # nothing is written through a relationship path
            leaf["insertable"] = leaf["updatable"] = False
        siblings = out
        for hop in col.hops:
            parent = next((e for e in siblings if e["columnName"] == hop.name and e["foreignKeyName"]), None)
            if parent is None:
                parent = _entry(hop.name)
                parent["foreignKeyName"] = hop.field.name
                siblings.append(parent)
            siblings = parent["joinColumns"]
        siblings.append(leaf)
    return out


def column_metadata(soql: str, schema: SchemaRegistry = registry) -> dict[str, Any]:
    """The `columns=true` body for a SOQL statement against the org's schema; QueryError as the query itself
    would raise."""
    query = parse(soql)
    # Checked as the query itself would be (the same errors), without running it.
    build_plan(query, "", include_deleted=False, now=dt.datetime.now(dt.UTC), schema=schema)
    resolver = Resolver(query, schema)
    grouped = aggregate.is_aggregate(query)
    obj = schema.get(resolver.sobject.name)
    return {
        "columnMetadata": [] if resolver.is_count_rows() else _fields(query, resolver, grouped),
        "entityName": "AggregateResult" if grouped else resolver.sobject.name,
        "groupBy": bool(query.group_by),
        "idSelected": any(isinstance(i, ast.FieldItem) and i.path.text.lower() == "id" for i in query.select),
        "keyPrefix": None if grouped or obj is None else obj.key_prefix,
    }
