"""One record by URL: create, read, update, delete, and upsert by external id (REST API "Working with
Records").

Assignment: Sforce-Auto-Assign, absent = TRUE (headers.auto_assign; created and updated records differ). The
header is read inside the call, so that a bad one is journaled with its error. Notification: never —
EmailHeader exists only in SOAP and REST sends no assignment mail (KB 000384839), so notify_owner is always
False here.
"""
from __future__ import annotations

from typing import Any

from starlette.responses import Response

from sfmock.core.errors import CallError, SalesforceError
from sfmock.core.results import SaveResult
from sfmock.rest import bodies
from sfmock.rest.context import RestContext
from sfmock.rest.describe import find
from sfmock.rest.errors import not_found
from sfmock.rest.headers import auto_assign
from sfmock.rest.responses import json_response, no_content
from sfmock.rest.sobjects import path_id, record_input, record_json, record_url, reject_id

# From API 46.0 an upsert that updates answers 200 with the result; before, 204 with no body.
_UPSERT_BODY_SINCE = 46.0


def _failed(result: SaveResult) -> SalesforceError:
    """The record's error, raised as is: the door's one mapping (errors.from_exception) renders it."""
    return result.errors[0]


def _gone(call: Any, sobject: str, record_id: str) -> SalesforceError | None:
    """404 for a record that does not exist; 404 ENTITY_IS_DELETED for one in the recycle bin."""
    try:
        call.service.live_row(sobject, record_id)
    except SalesforceError as error:
        return error
    return None


def post_create(ctx: RestContext, sobject: str) -> Response:
    """POST …/sobjects/{Type}/ → 201 {"id","success":true,"errors":[]}."""
    obj = find(sobject)
    data = bodies.json_object(ctx.request, ctx.body)
    reject_id(data)
    with ctx.call("create", obj.name) as call:
        [result] = call.service.create([record_input(obj.name, data)], assignment=ctx.assignment(call),
                                       notify_owner=False, all_or_none=False)
        call.journal.note_results([result])
    if not result.success:
        raise _failed(result)
    return json_response({"id": result.id, "success": True, "errors": []}, 201)


def get_record(ctx: RestContext, sobject: str, record_id: str) -> Response:
    """GET …/sobjects/{Type}/{id}[?fields=a,b]: the record with attributes {type, url}."""
    obj = find(sobject)
    record_id = path_id(obj, record_id)
    raw = ctx.params.get("fields")
    asked = [f for f in (raw or "").split(",") if f.strip()] if raw else None
    with ctx.call("retrieve", obj.name) as call:
        fields = asked or [f.name for f in call.store.schema.get(obj.name).api_fields()]
        [row] = call.service.retrieve(obj.name, [record_id], fields)
        missing = _gone(call, obj.name, record_id) if row is None else None
    if missing is not None:
        raise missing
    return json_response(record_json(obj, row, ctx.data_path))


def patch_record(ctx: RestContext, sobject: str, record_id: str) -> Response:
    """PATCH …/sobjects/{Type}/{id} (or POST ?_HttpMethod=PATCH) → 204."""
    obj = find(sobject)
    record_id = path_id(obj, record_id)
    data = bodies.json_object(ctx.request, ctx.body)
    reject_id(data)
    _update_by_id(ctx, "update", obj, record_id, data)
    return no_content()


def _update_by_id(
    ctx: RestContext, operation: str, obj: Any, record_id: str, data: dict[str, Any]
) -> SaveResult:
    """One record updated by its Id with the update semantics of Sforce-Auto-Assign; a missing or deleted
    record and a failed save are raised as their REST errors."""
    with ctx.call(operation, obj.name) as call:
        assignment = ctx.assignment(call, update=True)
        missing = _gone(call, obj.name, record_id)
        result = None if missing else call.service.update(
            [record_input(obj.name, data, record_id=record_id)], assignment=assignment, notify_owner=False,
            all_or_none=False)[0]
        call.journal.note_results([result] if result else [])
    if missing is not None:
        raise missing
    assert result is not None  # the record was there: the call ran
    if not result.success:
        raise _failed(result)
    return result


def delete_record(ctx: RestContext, sobject: str, record_id: str) -> Response:
    """DELETE …/sobjects/{Type}/{id} → 204."""
    obj = find(sobject)
    record_id = path_id(obj, record_id)
    with ctx.call("delete", obj.name) as call:
        missing = _gone(call, obj.name, record_id)
        result = None if missing else call.service.delete([record_id], all_or_none=False)[0]
        call.journal.note_results([result] if result else [])
    if missing is not None:
        raise missing
    assert result is not None  # the record was there: the call ran
    if not result.success:
        raise _failed(result)
    return no_content()


def _external_field(obj: Any, name: str) -> Any:
    field = obj.field(name)
    if field is None or field.hidden or not (field.external_id or field.id_lookup):
        raise CallError("NOT_FOUND",
                        f"Provided external ID field does not exist or is not accessible: {name}")
    return field


def patch_upsert(ctx: RestContext, sobject: str, field: str, value: str) -> Response:
    """PATCH …/sobjects/{Type}/{field}/{value}: 201 created, 200 (204 before v46) updated, 300 with the
    matching records' URLs when the value names several (simple-salesforce: SalesforceMoreThanOneRecord)."""
    obj = find(sobject)
    data = bodies.json_object(ctx.request, ctx.body)
    reject_id(data)
    if field.lower() == "id":
        _external_field(obj, field)
        # Upsert on Id is an update of that record (the record must exist).
        return _upsert_by_id(ctx, obj, value, data)
    with ctx.call("upsert", obj.name) as call:
        # The org's own fields: a custom External ID field is known only to its org.
        ext = _external_field(call.store.schema.get(obj.name), field)
        # The value in the URL is the key; a copy of the field in the body does not override it.
        values = {k: v for k, v in data.items() if k.lower() != ext.name.lower()} | {ext.name: value}
        # A created record gets the create semantics of Sforce-Auto-Assign, an updated one the update's; the
        # journal notes the create's.
        assignment, on_update = ctx.assignment(call), auto_assign(ctx.headers, update=True)
        matches = call.service.external_matches(obj.name, ext.name, value)
        result = None if len(matches) > 1 else call.service.upsert(
            ext.name, [record_input(obj.name, values)], assignment=assignment, update_assignment=on_update,
            notify_owner=False, all_or_none=False)[0]
        call.journal.note_results([result] if result else [])
    if result is None:
        return json_response([record_url(ctx.data_path, obj.name, m["Id"]) for m in matches], 300)
    if not result.success:
        raise _failed(result)
    return _upsert_answer(ctx, result)


def _upsert_by_id(ctx: RestContext, obj: Any, value: str, data: dict[str, Any]) -> Response:
    result = _update_by_id(ctx, "upsert", obj, path_id(obj, value), data)
    result.created = False
    return _upsert_answer(ctx, result)


def _upsert_answer(ctx: RestContext, result: SaveResult) -> Response:
    body: dict[str, Any] = {"id": result.id, "success": True, "errors": [], "created": bool(result.created)}
    if result.created:
        return json_response(body, 201)
    if float(ctx.version) < _UPSERT_BODY_SINCE:
        return no_content()
    return json_response(body, 200)


def _by_external_id(call: Any, ctx: RestContext, obj: Any, field: str, value: str) -> tuple[list[dict], Any]:
    obj = call.store.schema.get(obj.name)
    ext = _external_field(obj, field)
    if ext.name == "Id":
        record_id = path_id(obj, value)
        row = call.store.get(obj.name, record_id)
        return ([row] if row else []), ext
    return call.service.external_matches(obj.name, ext.name, value), ext


def get_by_external_id(ctx: RestContext, sobject: str, field: str, value: str) -> Response:
    """GET …/sobjects/{Type}/{field}/{value}: the one record with that value; 300 with URLs when several."""
    obj = find(sobject)
    with ctx.call("retrieve", obj.name) as call:
        matches, _ = _by_external_id(call, ctx, obj, field, value)
        names = [f.name for f in call.store.schema.get(obj.name).api_fields()]
        rows = call.service.retrieve(obj.name, [matches[0]["Id"]], names) if len(matches) == 1 else []
    if len(matches) > 1:
        return json_response([record_url(ctx.data_path, obj.name, m["Id"]) for m in matches], 300)
    if not rows or rows[0] is None:
        raise not_found()
    return json_response(record_json(obj, rows[0], ctx.data_path))


def delete_by_external_id(ctx: RestContext, sobject: str, field: str, value: str) -> Response:
    """DELETE …/sobjects/{Type}/{field}/{value} → 204; 300 when the value names several records."""
    obj = find(sobject)
    with ctx.call("delete", obj.name) as call:
        matches, _ = _by_external_id(call, ctx, obj, field, value)
        result = call.service.delete([matches[0]["Id"]], all_or_none=False)[0] if len(matches) == 1 else None
        call.journal.note_results([result] if result else [])
    if len(matches) > 1:
        return json_response([record_url(ctx.data_path, obj.name, m["Id"]) for m in matches], 300)
    if result is None:
        raise not_found()
    if not result.success:
        raise _failed(result)
    return no_content()
