"""The record, query and describe operations: read the parsed arguments, call the core inside one unit of
work, return values shaped for the Partner result types."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.core.errors import CallError, SalesforceError
from app.core.results import RecordInput, SaveResult
from app.core.schema import registry
from app.soap import describe as describing
from app.soap.context import SoapContext
from app.soap.sobjects import Record, from_query_record
from app.soql import engine

# QueryOptions.batchSize: "The default is 500; the minimum is 200, and the maximum is 2,000" (SOAP API,
# QueryOptions header); Salesforce treats it as a request and clamps it into that range.
DEFAULT_BATCH, MIN_BATCH, MAX_BATCH = 500, 200, 2000
MAX_DESCRIBE = 100  # describeSObjects takes at most 100 types (WSDL: maxOccurs="100")


def _error(error: SalesforceError) -> dict[str, Any]:
    return {"fields": list(error.fields), "message": error.message, "statusCode": error.code}


def save_result(result: SaveResult) -> dict[str, Any]:
    return {"errors": [_error(e) for e in result.errors], "id": result.id, "success": result.success,
            "created": bool(result.created)}


def _write_options(ctx: SoapContext) -> dict[str, Any]:
    headers = ctx.headers
    return {"assignment": headers.assignment, "notify_owner": headers.email.trigger_user_email,
            "all_or_none": headers.all_or_none}


def _types(records: Sequence[RecordInput]) -> str | None:
    """The journal's object: the records' one type, or their types joined when mixed. Known types by their
    canonical name (however the client cased them), unknown ones as first sent; each type once."""
    kinds: dict[str, str] = {}
    for record in records:
        if record.sobject:
            found = registry.get(record.sobject)
            name = found.name if found else record.sobject
            kinds.setdefault(name.lower(), name)
    return ",".join(kinds.values()) or None


def _write(ctx: SoapContext, operation: str, records: Sequence[RecordInput] | None,
           *extra: Any) -> list[dict[str, Any]]:
    records = list(records or ())
    with ctx.call(_types(records)) as call:
        results = getattr(call.service, operation)(*extra, records, **_write_options(ctx))
        ctx.note(call, _types(records), results, assigns=True)
        return [save_result(r) for r in results]


def create(ctx: SoapContext, records: Sequence[RecordInput] | None) -> list[dict[str, Any]]:
    return _write(ctx, "create", records)


def update(ctx: SoapContext, records: Sequence[RecordInput] | None) -> list[dict[str, Any]]:
    return _write(ctx, "update", records)


def upsert(ctx: SoapContext, external_id_field: str | None,
           records: Sequence[RecordInput] | None) -> list[dict[str, Any]]:
    return _write(ctx, "upsert", records, (external_id_field or "").strip())


def delete(ctx: SoapContext, record_ids: Sequence[str] | None) -> list[dict[str, Any]]:
    with ctx.call() as call:
        ids = [i.strip() for i in record_ids or ()]
        results = call.service.delete(ids, all_or_none=ctx.headers.all_or_none)
        ctx.note(call, None, results)
        return [save_result(r) for r in results]


def retrieve(ctx: SoapContext, field_list: str | None, sobject: str | None,
             record_ids: Sequence[str] | None) -> list[Record | None]:
    fields = [f.strip() for f in (field_list or "").split(",") if f.strip()]
    with ctx.call((sobject or "").strip() or None) as call:
        rows = call.service.retrieve((sobject or "").strip(), [i.strip() for i in record_ids or ()], fields)
        name = describing.find(sobject).name
        ctx.note(call, name)
    # Retrieve results lead with the record's Id; a requested Id shows again among the fields (as in query).
    asked_id = any(f.lower() == "id" for f in fields)
    out: list[Record | None] = []
    for row in rows:
        if row is None:
            out.append(None)
            continue
        pairs = [(k, v) for k, v in row.items() if k != "Id" or asked_id]
        out.append(Record(name, pairs, row.get("Id")))
    return out


def _batch_size(ctx: SoapContext) -> int:
    size = ctx.headers.batch_size
    return DEFAULT_BATCH if size is None else min(max(size, MIN_BATCH), MAX_BATCH)


def _query_result(page: Any) -> dict[str, Any]:
    return {"done": page.done, "queryLocator": page.locator if not page.done else None,
            "records": [from_query_record(r) for r in page.records], "size": page.total_size}


def query(ctx: SoapContext, soql: str | None, *, include_deleted: bool = False) -> dict[str, Any]:
    ctx.soql = soql or ""
    with ctx.call() as call:
        page = engine.run_query(call.sql, call.org.org_id, soql or "", include_deleted=include_deleted,
                                batch_size=_batch_size(ctx))
        return _query_result(page)


def query_more(ctx: SoapContext, locator: str | None) -> dict[str, Any]:
    with ctx.call() as call:
        page = engine.query_more(call.sql, call.org.org_id, (locator or "").strip(),
                                 batch_size=_batch_size(ctx))
        return _query_result(page)


def describe_sobject(ctx: SoapContext, sobject: str | None) -> dict[str, Any]:
    with ctx.call((sobject or "").strip() or None) as call:
        found = describing.find(sobject)
        ctx.note(call, found.name)
        return describing.describe(found, ctx.base_url)


def describe_sobjects(ctx: SoapContext, sobjects: Sequence[str] | None) -> list[dict[str, Any]]:
    names = list(sobjects or ())
    with ctx.call():
        if len(names) > MAX_DESCRIBE:
            # [UNCONFIRMED] text; the limit is the WSDL's maxOccurs.
            raise CallError("EXCEEDED_ID_LIMIT", f"describeSObjects accepts at most {MAX_DESCRIBE} types")
        return [describing.describe(describing.find(n), ctx.base_url) for n in names]


def describe_global(ctx: SoapContext) -> dict[str, Any]:
    with ctx.call():
        return describing.describe_global()
