"""The Tooling API answers sfmock gives: SourceMember for the sf CLI, and CustomField, where Salesforce shows
a custom field's 00N id (the id Web-to-Lead / Web-to-Case forms post a custom field under).

- GET …/tooling/query?q=…: the sf CLI queries SourceMember only on scratch orgs (source tracking); sfmock orgs
  are none (Organization.TrialExpirationDate is null), and a SourceMember query answers empty.
- CustomField (Tooling API "CustomField"; the Custom Address Fields guide's example shows the record shape:
  `Id` 00N…, `TableEnumOrId` the object's name for a standard object, `DeveloperName` the name without `__c`,
  `NamespacePrefix`, `ManageableState` "unmanaged"): `SELECT <those fields> FROM CustomField [WHERE f = 'v'
  [AND …]] [LIMIT n]`, and GET …/tooling/sobjects/CustomField/{id}. Other Tooling objects, and other query
  shapes on CustomField, are not emulated (INVALID_TYPE / MALFORMED_QUERY).
"""
from __future__ import annotations

import re
from typing import Any

from starlette.responses import Response

from sfmock.core import ids
from sfmock.core.errors import CallError
from sfmock.core.schema import SchemaRegistry
from sfmock.rest.context import RestContext
from sfmock.rest.errors import not_found
from sfmock.rest.responses import json_response
from sfmock.soql.diagnostics import UNKNOWN_FIELD

_FROM = re.compile(r"\bFROM\s+([A-Za-z0-9_]+)", re.IGNORECASE)
_CUSTOM_FIELD_QUERY = re.compile(
    r"^\s*SELECT\s+(?P<fields>.+?)\s+FROM\s+CustomField(?:\s+WHERE\s+(?P<where>.+?))?(?:\s+LIMIT\s+(?P<limit>\d+))?"
    r"\s*$", re.IGNORECASE | re.DOTALL)
_CONDITION = re.compile(r"^\s*([A-Za-z]+)\s*=\s*'((?:[^'\\]|\\.)*)'\s*$")
_COLUMNS = ("Id", "DeveloperName", "TableEnumOrId", "NamespacePrefix", "ManageableState")


def _custom_fields(schema: SchemaRegistry) -> list[dict[str, Any]]:
    return [{"Id": f.field_id, "DeveloperName": f.name.removesuffix("__c"), "TableEnumOrId": obj.name,
             "NamespacePrefix": None, "ManageableState": "unmanaged"}
            for obj in sorted(schema.all(), key=lambda o: o.name)
            for f in obj.fields if f.custom and f.field_id]


def _column(name: str) -> str:
    found = next((c for c in _COLUMNS if c.lower() == name.strip().lower()), None)
    if found is None:
        # The SOQL wording for an unknown column, as sfmock's SOQL engine answers it.
        raise CallError("INVALID_FIELD", UNKNOWN_FIELD.format(field=name.strip(), entity="CustomField"))
    return found


def _record(row: dict[str, Any], columns: list[str], path: str) -> dict[str, Any]:
    url = f"{path}/tooling/sobjects/CustomField/{row['Id']}"
    return {"attributes": {"type": "CustomField", "url": url}} | {c: row[c] for c in columns}


def _query_custom_fields(ctx: RestContext, schema: SchemaRegistry, soql: str) -> dict[str, Any]:
    shape = _CUSTOM_FIELD_QUERY.match(soql)
    if shape is None:
        raise CallError("MALFORMED_QUERY", "sfmock answers CustomField queries of the shape SELECT fields "
                        "FROM CustomField [WHERE field = 'value' [AND ...]] [LIMIT n]")
    columns = [_column(c) for c in shape["fields"].split(",")]
    rows = _custom_fields(schema)
    conditions = re.split(r"\s+AND\s+", shape["where"], flags=re.IGNORECASE) if shape["where"] else []
    for condition in conditions:
        found = _CONDITION.match(condition)
        if found is None:
            raise CallError("MALFORMED_QUERY", f"sfmock answers CustomField conditions field = 'value' only: "
                            f"{condition.strip()}")
        column, value = _column(found[1]), found[2].replace("\\'", "'")
        # Filters on ids match either form; text matches case-insensitively, as SOQL's = does.
        wanted = ids.canonical(value) if column == "Id" else value.lower()
        rows = [r for r in rows if (r[column] if column == "Id" else str(r[column] or "").lower()) == wanted]
    if shape["limit"] is not None:
        rows = rows[:int(shape["limit"])]
    records = [_record(r, columns, ctx.data_path) for r in rows]
    return {"size": len(records), "totalSize": len(records), "done": True, "queryLocator": None,
            "entityTypeName": "CustomField", "records": records}


def get_tooling_query(ctx: RestContext) -> Response:
    soql = ctx.params.get("q") or ""
    with ctx.call("toolingQuery") as call:
        found = _FROM.search(soql)
        entity = found.group(1) if found else ""
        if entity.lower() == "customfield":
            return json_response(_query_custom_fields(ctx, call.store.schema, soql))
    if entity.lower() != "sourcemember":
        raise CallError("INVALID_TYPE", f"sObject type '{entity}' is not supported.")
    return json_response({"size": 0, "totalSize": 0, "done": True, "queryLocator": None,
                          "entityTypeName": "SourceMember", "records": []})


def get_custom_field(ctx: RestContext, record_id: str) -> Response:
    wanted = ids.canonical(record_id)
    with ctx.call("toolingRetrieve", "CustomField") as call:
        rows = [r for r in _custom_fields(call.store.schema) if wanted and r["Id"] == wanted]
    if not rows:
        raise not_found()
    return json_response(_record(rows[0], list(_COLUMNS), ctx.data_path))
