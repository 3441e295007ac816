"""The record, query and describe operations: read the parsed arguments, call the core inside one unit of
work, return values shaped for the Partner result types."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sfmock.core import convert as converting
from sfmock.core import merge as merging
from sfmock.core.convert import LeadConvert
from sfmock.core.errors import CallError, RecordsLocked, SalesforceError
from sfmock.core.merge import MergeRequest
from sfmock.core.org_describe import apply_org
from sfmock.core.results import RecordInput, SaveResult
from sfmock.core.schema import registry
from sfmock.core.validation import UnknownField
from sfmock.soap import describe as describing
from sfmock.soap.context import SoapContext
from sfmock.soap.sobjects import Record, from_query_record
from sfmock.soql import engine
from sfmock.soql import sosl as sosl_engine

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


def _locked(count: int) -> list[dict[str, Any]]:
    """Every record's SaveResult when the write lock was not obtained: UNABLE_TO_LOCK_ROW, nothing written."""
    return [save_result(SaveResult.failed(RecordsLocked.for_records(count))) for _ in range(count)]


def _write(ctx: SoapContext, operation: str, records: Sequence[RecordInput] | None,
           *extra: Any) -> list[dict[str, Any]]:
    records = list(records or ())
    options = _write_options(ctx)
    if operation in ("create", "upsert"):
        # EmailHeader.triggerAutoResponseEmail: auto-response rules run on API creates only when it is true
        # (SOAP API "EmailHeader"; salesforce-rules-mail-web.md §3). Updates never send one.
        options["auto_response"] = ctx.headers.email.trigger_auto_response_email
    try:
        with ctx.call(_types(records)) as call:
            results = getattr(call.service, operation)(*extra, records, **options)
            _refuse_unknown_fields(results)
            ctx.note(call, _types(records), results, assigns=True)
            return [save_result(r) for r in results]
    except RecordsLocked:
        return _locked(len(records))


def _refuse_unknown_fields(results: Sequence[SaveResult]) -> None:
    """An unknown field fails the whole SOAP call with the INVALID_FIELD fault (rolled back with the call's
    unit of work), worded as Salesforce's Partner API words it, not the REST per-record text."""
    for result in results:
        for error in result.errors:
            if isinstance(error, UnknownField):
                raise CallError("INVALID_FIELD",
                                f"No such column '{error.name}' on entity '{error.sobject}'. If "
                                "you are attempting to use a custom field, be sure to append the '__c' after "
                                "the custom field name. Please reference your WSDL or the describe call for "
                                "the appropriate names.", [error.name])


def create(ctx: SoapContext, records: Sequence[RecordInput] | None) -> list[dict[str, Any]]:
    return _write(ctx, "create", records)


def update(ctx: SoapContext, records: Sequence[RecordInput] | None) -> list[dict[str, Any]]:
    return _write(ctx, "update", records)


def upsert(ctx: SoapContext, external_id_field: str | None,
           records: Sequence[RecordInput] | None) -> list[dict[str, Any]]:
    return _write(ctx, "upsert", records, (external_id_field or "").strip())


def delete(ctx: SoapContext, record_ids: Sequence[str] | None) -> list[dict[str, Any]]:
    ids = [i.strip() for i in record_ids or ()]
    try:
        with ctx.call() as call:
            results = call.service.delete(ids, all_or_none=ctx.headers.all_or_none)
            ctx.note(call, None, results)
            return [save_result(r) for r in results]
    except RecordsLocked:
        return _locked(len(ids))


def merge(ctx: SoapContext, requests: Sequence[dict[str, Any]] | None) -> list[dict[str, Any]]:
    asked = [MergeRequest(r["masterRecord"] or RecordInput(None),
                          [i.strip() for i in r["recordToMergeIds"] or ()])
             for r in requests or ()]
    with ctx.call() as call:
        results = merging.merge(call.service, asked, assignment=ctx.headers.assignment,
                                notify_owner=ctx.headers.email.trigger_user_email)
        ctx.note(call, _types([a.master for a in asked]), results, assigns=True)
        return [{"errors": [_error(e) for e in r.errors], "id": r.id, "mergedRecordIds": r.merged_ids,
                 "success": r.success, "updatedRelatedIds": r.updated_related_ids} for r in results]


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "1")


def convert_lead(ctx: SoapContext, converts: Sequence[dict[str, Any]] | None) -> list[dict[str, Any]]:
    asked = [LeadConvert(
        lead_id=(c["leadId"] or "").strip(), converted_status=(c["convertedStatus"] or "").strip(),
        do_not_create_opportunity=_flag(c["doNotCreateOpportunity"]),
        overwrite_lead_source=_flag(c["overwriteLeadSource"]),
        send_notification_email=_flag(c["sendNotificationEmail"]),
        account_id=(c["accountId"] or "").strip() or None, contact_id=(c["contactId"] or "").strip() or None,
        opportunity_name=c["opportunityName"] or None, owner_id=(c["ownerId"] or "").strip() or None)
        for c in converts or ()]
    with ctx.call() as call:
        results = converting.convert(call.service, asked)
        ctx.note(call, "Lead", results)
        return [{"accountId": r.account_id, "contactId": r.contact_id,
                 "errors": [_error(e) for e in r.errors],
                 "leadId": r.lead_id, "opportunityId": r.opportunity_id, "relatedPersonAccountId": None,
                 "success": r.success} for r in results]


def undelete(ctx: SoapContext, record_ids: Sequence[str] | None) -> list[dict[str, Any]]:
    return _by_ids(ctx, record_ids, lambda service,
                   ids: service.undelete(ids, all_or_none=ctx.headers.all_or_none))


def empty_recycle_bin(ctx: SoapContext, record_ids: Sequence[str] | None) -> list[dict[str, Any]]:
    return _by_ids(ctx, record_ids, lambda service, ids: service.empty_recycle_bin(ids))


def _by_ids(ctx: SoapContext, record_ids: Sequence[str] | None, run: Any) -> list[dict[str, Any]]:
    with ctx.call() as call:
        results = run(call.service, [i.strip() for i in record_ids or ()])
        ctx.note(call, None, results)
        return [{k: v for k, v in save_result(r).items() if k != "created"} for r in results]


def retrieve(ctx: SoapContext, field_list: str | None, sobject: str | None,
             record_ids: Sequence[str] | None) -> list[Record | None]:
    fields = [f.strip() for f in (field_list or "").split(",") if f.strip()]
    with ctx.call((sobject or "").strip() or None) as call:
        rows = call.service.retrieve((sobject or "").strip(), [i.strip() for i in record_ids or ()], fields)
        name = describing.find(sobject, call.store.schema).name
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
                                batch_size=_batch_size(ctx), schema=call.store.schema,
                                time_zone=call.time_zone, now=call.now)
        return _query_result(page)


def search(ctx: SoapContext, sosl: str | None) -> dict[str, Any]:
    """search(searchString): SearchResult {queryId, searchRecords[{record}]} (no metadata, no snippets);
    queryId is empty [UNCONFIRMED: what Salesforce puts there]."""
    with ctx.call() as call:
        records = sosl_engine.run_search(call.sql, call.org.org_id, sosl or "", time_zone=call.time_zone,
                                         now=call.now,
                                         schema=call.store.schema)
        return {"queryId": "", "searchRecords": [{"record": from_query_record(r)} for r in records]}


def query_more(ctx: SoapContext, locator: str | None) -> dict[str, Any]:
    with ctx.call() as call:
        page = engine.query_more(call.sql, call.org.org_id, (locator or "").strip(),
                                 batch_size=_batch_size(ctx), schema=call.store.schema,
                                 time_zone=call.time_zone)
        return _query_result(page)


def describe_sobject(ctx: SoapContext, sobject: str | None) -> dict[str, Any]:
    with ctx.call((sobject or "").strip() or None) as call:
        found = describing.find(sobject, call.store.schema)
        ctx.note(call, found.name)
        return apply_org(describing.describe(found, ctx.base_url, call.store.schema), found, call.org)


def describe_sobjects(ctx: SoapContext, sobjects: Sequence[str] | None) -> list[dict[str, Any]]:
    names = list(sobjects or ())
    with ctx.call() as call:
        if len(names) > MAX_DESCRIBE:
            # [UNCONFIRMED] text; the limit is the WSDL's maxOccurs.
            raise CallError("EXCEEDED_ID_LIMIT", f"describeSObjects accepts at most {MAX_DESCRIBE} types")
        schema = call.store.schema
        found = [describing.find(n, schema) for n in names]
        return [apply_org(describing.describe(o, ctx.base_url, schema), o, call.org) for o in found]


def describe_global(ctx: SoapContext) -> dict[str, Any]:
    with ctx.call() as call:
        return describing.describe_global(call.store.schema)


# Tab colours and icons of Salesforce's standard Leads and Cases tabs (describeTabs on a Developer Edition
# org).
_TABS = {"Lead": ("f88962", "leads"), "Case": ("f2cf5b", "cases")}


def describe_tabs(ctx: SoapContext) -> list[dict[str, Any]]:
    """One app (Sales) whose tabs are the objects sfmock serves with a UI tab: minimal but well formed
    (SOAP API "describeTabs()")."""
    with ctx.call() as call:
        schema = call.store.schema
    base = ctx.base_url.split("/services/")[0]
    tabs = []
    for name, (color, icon) in _TABS.items():
        obj = schema.require(name)
        tabs.append({
            "colors": [{"color": color, "context": "primary", "theme": "theme4"}], "custom": False,
            "iconUrl": f"{base}/img/icon/{icon}32.png", "icons": [], "label": obj.label_plural,
            "miniIconUrl": f"{base}/img/icon/{icon}16.png", "name": f"standard-{name}", "sobjectName": name,
            "url": f"{base}/{obj.key_prefix}/o"})
    return [{"description": "Manage your sales process", "label": "Sales",
             "logoUrl": f"{base}/img/seasonLogos/"
             "logo.png", "namespace": None, "selected": True, "tabSetId": "02u000000000001AAA", "tabs": tabs}]
