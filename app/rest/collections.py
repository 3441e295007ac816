"""sObject Collections (…/composite/sobjects): create, update, delete and retrieve many records in one call.

REST API guide, "sObject Collections": up to 200 records, processed in order, mixed types allowed; allOrNone
defaults to false; per-record results whose errors carry `statusCode`. Sforce-Auto-Assign applies to every
record (absent = TRUE); no assignment mail is ever sent over REST (KB 000384839).
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from starlette.responses import Response

from sfmock.core.errors import CallError, RecordError, RecordsLocked, SalesforceError
from sfmock.core.record_reads import MAX_RETRIEVE
from sfmock.core.results import RecordInput, SaveResult
from sfmock.rest import bodies
from sfmock.rest.context import RestContext
from sfmock.rest.describe import find
from sfmock.rest.errors import not_found
from sfmock.rest.responses import json_response
from sfmock.rest.sobjects import (
    as_bool,
    collection_records,
    record_input,
    record_json,
    result_json,
    sobject_type,
    split_ids,
)

# "This resource is available in API version 42.0 and later" (sObject Collections); before it, no such
# resource.
SINCE_VERSION = 42.0
_ROLLED_BACK = "ALL_OR_NONE_OPERATION_ROLLED_BACK"


def _available(ctx: RestContext) -> None:
    if float(ctx.version) < SINCE_VERSION:
        raise not_found()


@contextmanager
def _locked(count: int) -> Iterator[list[SaveResult]]:
    """The block fills the list with the call's results; when the write lock was not obtained, every record
    answers UNABLE_TO_LOCK_ROW instead (nothing was written)."""
    results: list[SaveResult] = []
    try:
        yield results
    except RecordsLocked:
        results[:] = [SaveResult.failed(RecordsLocked.for_records(count)) for _ in range(count)]


def _types(inputs: Sequence[RecordInput | SalesforceError]) -> str | None:
    """The journal's object: the one type of the records, or their types joined when mixed."""
    kinds = list(dict.fromkeys(i.sobject for i in inputs if isinstance(i, RecordInput) and i.sobject))
    return ",".join(kinds) or None


def _answer(results: list[SaveResult], ids: Sequence[str | None] = ()) -> Response:
    """One result per record; a rolled-back existing record keeps its id (as real orgs answer delete)."""
    out = []
    for index, result in enumerate(results):
        rolled_back = not result.success and result.errors and result.errors[0].code == _ROLLED_BACK
        if rolled_back and result.id is None and index < len(ids):
            result.id = ids[index]
        out.append(result_json(result))
    return json_response(out)


def post_create(ctx: RestContext) -> Response:
    """POST …/composite/sobjects {"allOrNone", "records": [{"attributes": {"type"}, …}]}"""
    _available(ctx)
    records, all_or_none = collection_records(bodies.json_object(ctx.request, ctx.body))
    inputs = [record_input(sobject_type(r), r) for r in records]
    with _locked(len(inputs)) as results, ctx.call("create", _types(inputs)) as call:
        results[:] = call.service.create(inputs, assignment=ctx.assignment(call), notify_owner=False,
                                         all_or_none=all_or_none)
        call.journal.note_results(results)
    return _answer(results)


def _update_input(record: dict[str, Any]) -> RecordInput | SalesforceError:
    kind = sobject_type(record)
    record_id = next((v for k, v in record.items() if k.lower() == "id"), None)
    if not record_id:
        return RecordError("MISSING_ARGUMENT", "Id not specified in an update call", [])
    data = {k: v for k, v in record.items() if k.lower() != "id"}
    return record_input(kind, data, record_id=str(record_id))


def patch_update(ctx: RestContext) -> Response:
    """PATCH …/composite/sobjects: every record names its type and Id."""
    _available(ctx)
    records, all_or_none = collection_records(bodies.json_object(ctx.request, ctx.body))
    inputs = [_update_input(r) for r in records]
    with _locked(len(inputs)) as results, ctx.call("update", _types(inputs)) as call:
        results[:] = call.service.update(inputs, assignment=ctx.assignment(call, update=True),
                                         notify_owner=False, all_or_none=all_or_none)
        call.journal.note_results(results)
    return _answer(results, [i.id if isinstance(i, RecordInput) else None for i in inputs])


def delete_many(ctx: RestContext) -> Response:
    """DELETE …/composite/sobjects?ids=a,b&allOrNone=true"""
    _available(ctx)
    record_ids = split_ids(ctx.params.get("ids"))
    if not record_ids:
        raise CallError("MISSING_ARGUMENT", "The ids parameter is required")  # [UNCONFIRMED] text
    all_or_none = as_bool(ctx.params.get("allOrNone", "false"), "allOrNone")
    with _locked(len(record_ids)) as results, ctx.call("delete") as call:
        results[:] = call.service.delete(record_ids, all_or_none=all_or_none)
        call.journal.note_results(results)
    # A successful or rolled-back delete names its record; one that failed by itself does not.
    return _answer(results, record_ids)


def _retrieve(ctx: RestContext, sobject: str, record_ids: list[str], fields: list[str]) -> Response:
    _available(ctx)
    obj = find(sobject)
    if not fields:
        raise CallError("MISSING_ARGUMENT", "The fields parameter is required")  # [UNCONFIRMED] text
    if len(record_ids) > MAX_RETRIEVE:
        # Kept although RecordService.retrieve checks the same limit: its error text says "200 records" (the
        # write limit), and a retrieve of 2,001 ids must name 2,000.
        raise CallError("EXCEEDED_ID_LIMIT", f"record limit reached. cannot submit more than {MAX_RETRIEVE} "
                           "records into this call")
    with ctx.call("retrieve", obj.name) as call:
        rows = call.service.retrieve(obj.name, record_ids, fields)  # up to 2,000 ids in one call
    return json_response([None if row is None else record_json(obj, row, ctx.data_path) for row in rows])


def get_many(ctx: RestContext, sobject: str) -> Response:
    """GET …/composite/sobjects/{Type}?ids=a,b&fields=F1,F2 → records (null for ids not found)."""
    return _retrieve(ctx, sobject, split_ids(ctx.params.get("ids")), split_ids(ctx.params.get("fields")))


def post_retrieve(ctx: RestContext, sobject: str) -> Response:
    """POST …/composite/sobjects/{Type} {"ids": [...], "fields": [...]}: retrieve with a long id list."""
    body = bodies.json_object(ctx.request, ctx.body)
    record_ids, fields = body.get("ids"), body.get("fields")
    if not isinstance(record_ids, list) or not isinstance(fields, list):
        raise CallError("JSON_PARSER_ERROR", "The request body must have 'ids' and 'fields' arrays")
    return _retrieve(ctx, sobject, [str(i) for i in record_ids], [str(f) for f in fields])
