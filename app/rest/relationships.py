"""Relationship URLs and /recent (the Tooling API answers are sfmock.rest.tooling).

- GET …/sobjects/{Type}/{id}/{relationship} (REST API "Get Records Using sObject Relationships", v36.0+): a
  parent relationship (Lead/{id}/Owner) answers the parent record (?fields= allowed), 404 when the lookup is
  empty; a child relationship (Case/{id}/Cases) answers a query-shaped list, 200 even when empty. Any other
  two-segment path is an external-id lookup (sfmock.rest.records).
- GET …/recent?limit=N (REST API "Recently Viewed Items"): records the user *viewed*; API calls view nothing,
  so an API-only org answers [].
"""
from __future__ import annotations

from starlette.responses import Response

from sfmock.core import ids
from sfmock.core.errors import CallError
from sfmock.core.relationships import child_relationship
from sfmock.rest import records
from sfmock.rest.context import RestContext
from sfmock.rest.describe import find
from sfmock.rest.errors import not_found
from sfmock.rest.responses import json_response
from sfmock.rest.sobjects import record_json

RELATIONSHIPS_SINCE = 36.0
MAX_RECENT = 200


def get_related(ctx: RestContext, sobject: str, field: str, value: str) -> Response:
    obj = find(sobject)
    record_id = ids.canonical(field)
    parent_field = obj.relationship(value)
    child = child_relationship(obj, value)
    if record_id is None or not record_id.startswith(obj.key_prefix) or (parent_field is None
                                                                         and child is None):
        return records.get_by_external_id(ctx, sobject, field, value)
    if float(ctx.version) < RELATIONSHIPS_SINCE:
        raise not_found()
    wanted = [f for f in (ctx.params.get("fields") or "").split(",") if f.strip()]
    with ctx.call("retrieve", obj.name) as call:
        row = call.service.live_row(obj.name, record_id)
        if parent_field is not None:
            parent_id = row.get(parent_field.name)
            target = call.store.schema.by_prefix(parent_id[:3]) if parent_id else None
            if target is None:
                raise not_found()
            names = wanted or [f.name for f in target.api_fields()]
            [parent] = call.service.retrieve(target.name, [parent_id], names)
            if parent is None:
                raise not_found()
            return json_response(record_json(target, parent, ctx.data_path))
        assert child is not None  # checked above: a parent field or a child relationship
        kind = call.store.schema.require(child.child)
        rows = [r for r in call.store.find(kind.name, {child.field: record_id})]
        names = wanted or [f.name for f in kind.api_fields()]
        found = call.service.retrieve(kind.name, [r["Id"] for r in rows], names) if rows else []
    body = [record_json(kind, r, ctx.data_path) for r in found if r is not None]
    return json_response({"totalSize": len(body), "done": True, "records": body})


def get_recent(ctx: RestContext) -> Response:
    raw = ctx.params.get("limit", str(MAX_RECENT))
    if not raw.isdigit():
        # [UNCONFIRMED] code and text
        raise CallError("INVALID_QUERY_FILTER_OPERATOR", f"Invalid limit: {raw}")
    with ctx.call("recent"):
        pass  # authenticates, counts and journals the call
    return json_response([])
