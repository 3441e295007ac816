"""Bulk API 2.0 (`/services/data/vNN.0/jobs/ingest` and `/jobs/query`, Bearer): jobs as JSON, uploads and
results as CSV (Bulk API 2.0 Developer Guide). Errors are REST's JSON array (sfmock.rest.errors)."""
from __future__ import annotations

import base64
from typing import Any

from starlette.responses import Response

from sfmock.bulk import csvdata, jobs
from sfmock.core import bulk
from sfmock.core.errors import CallError
from sfmock.persistence import bulk_jobs as store
from sfmock.rest import bodies
from sfmock.rest.context import RestContext
from sfmock.rest.errors import RestError, not_found
from sfmock.rest.responses import format_datetime, json_response, no_content

# Bulk API 2.0 "Limits": "A request can provide CSV data that does not in total exceed 150 MB".
MAX_UPLOAD = 150 * 1024 * 1024
INGEST, QUERY = ("V2Ingest",), ("V2Query",)
CSV_TYPE = "text/csv"


def _error(code: str, message: str, status: int = 400) -> RestError:
    return RestError.of(code, message, status=status)


def _body(ctx: RestContext) -> dict[str, Any]:
    data = bodies.json_object(ctx.request, ctx.body)
    return data


def _stamp(value: Any) -> str:
    return format_datetime(value)


def _short(job: dict[str, Any]) -> dict[str, Any]:
    """The jobInfo a create / state change answers (Bulk API 2.0 "Create a Job", "Close or Abort a Job")."""
    out: dict[str, Any] = {
        "id": job["id"], "operation": job["operation"], "object": job["object"],
        "createdById": job["user_id"],
        "createdDate": _stamp(job["created_at"]), "systemModstamp": _stamp(job["modstamp"]),
        "state": job["state"]}
    if job["external_id_field"]:
        out["externalIdFieldName"] = job["external_id_field"]
    if job["assignment_rule_id"]:
        out["assignmentRuleId"] = job["assignment_rule_id"]
    out |= {"concurrencyMode": job["concurrency_mode"], "contentType": job["content_type"],
            "apiVersion": float(job["api_version"])}
    return out


def _created(job: dict[str, Any], ctx: RestContext) -> dict[str, Any]:
    out = _short(job)
    if job["kind"] == "V2Ingest":
        # contentUrl has no leading slash (a real v52 reply).
        out["contentUrl"] = f"services/data/v{ctx.version}/jobs/ingest/{job['id']}/batches"
    else:
        out["query"] = job["query"]
    return out | {"lineEnding": job["line_ending"], "columnDelimiter": job["column_delimiter"]}


def _full(call: Any, job: dict[str, Any]) -> dict[str, Any]:
    counts = store.counts(call.sql, job["id"])
    out = _short(job) | {"jobType": job["kind"], "lineEnding": job["line_ending"],
                         "columnDelimiter": job["column_delimiter"],
                         "numberRecordsProcessed": counts["processed"], "retries": 0,
                         "totalProcessingTime": 0}
    if job["kind"] == "V2Ingest":
        out |= {"numberRecordsFailed": counts["failed"], "apiActiveProcessingTime": 0,
                "apexProcessingTime": 0}
    if job["error_message"]:
        out["errorMessage"] = job["error_message"]
    return out


def _find(call: Any, job_id: str, kinds: tuple[str, ...]) -> dict[str, Any]:
    job = jobs.find(call, job_id, kinds)
    if job is None:
        raise not_found()
    return job


def _options(data: dict[str, Any]) -> tuple[str, str]:
    line_ending = str(data.get("lineEnding") or "LF").upper()
    delimiter = str(data.get("columnDelimiter") or "COMMA").upper()
    if line_ending not in csvdata.LINE_ENDINGS:
        raise _error("INVALIDJOB", f"Invalid line ending: {data.get('lineEnding')}")
    if delimiter not in csvdata.DELIMITERS:
        raise _error("INVALIDJOB", f"Invalid column delimiter: {data.get('columnDelimiter')}")
    if str(data.get("contentType") or "CSV").upper() != "CSV":
        raise _error("INVALIDJOB", f"Invalid content type: {data.get('contentType')}")
    return line_ending, delimiter


def _as_rest(error: CallError) -> RestError:
    # Bulk 2.0 answers job-level refusals as INVALIDJOB [UNCONFIRMED: the code for each case]; a SOQL error
    # keeps its own code (INVALID_FIELD, MALFORMED_QUERY...). A hardDelete refused for want of the permission
    # is FEATURENOTENABLED: the sf CLI recognises it by that errorCode (salesforcecli/plugin-data
    # bulkUtils.ts, `err.name === 'FEATURENOTENABLED' && operation === 'hardDelete'`) [UNCONFIRMED: status and
    # message].
    if error.code == "FeatureNotEnabled":
        return _error("FEATURENOTENABLED", error.message)
    return (
        _error("INVALIDJOB", error.message)
        if error.code in ("INVALID_TYPE", "INVALID_FIELD", "MALFORMED_ID")
        else _error(error.code, error.message)
    )


# --- ingest -----------------------------------------------------------------------------------------------
def post_ingest(ctx: RestContext) -> Response:
    data = _body(ctx)
    operation = str(data.get("operation") or "")
    if operation not in bulk.INGEST:
        raise _error("INVALIDJOB", f"Invalid operation: {operation or 'null'}" if operation else
                     "Missing operation")
    if not data.get("object"):
        raise _error("INVALIDJOB", "Missing object")
    line_ending, delimiter = _options(data)
    with ctx.call() as call:
        try:
            job = jobs.create(call, kind="V2Ingest", operation=operation, sobject=str(data["object"]),
                              content_type="CSV", version=ctx.version,
                              external_id=data.get("externalIdFieldName"),
                              rule_id=data.get("assignmentRuleId"), line_ending=line_ending,
                              delimiter=delimiter)
        except CallError as error:
            raise _as_rest(error) from None
        body = _created(job, ctx)
    return json_response(body)


def put_batches(ctx: RestContext, job_id: str) -> Response:
    """PUT …/jobs/ingest/{id}/batches → 201, no body. Bad CSV does not fail the upload: the job fails when the
    upload is complete, with the reason in errorMessage (as real orgs report "InvalidBatch : …")."""
    with ctx.call() as call:
        job = _find(call, job_id, INGEST)
        if job["state"] != "Open":
            raise _error("INVALIDJOBSTATE", f"Job {job_id} is not open for uploads (state {job['state']})",
                         409)
        try:
            parsed = csvdata.read(ctx.body, csvdata.DELIMITERS[job["column_delimiter"]])
            failure = jobs.unknown_field_message(call, job["object"], parsed.columns)
        except CallError as error:
            parsed, failure = None, f"{error.code} : {error.message}"
        if parsed is None or failure is not None:
            store.update_job(call.sql, job["id"], error_message=job["error_message"] or failure)
            jobs.add_rows(call, job, [], "", failure=failure)
        else:
            if job["header"] is None:
                store.update_job(call.sql, job["id"], header=parsed.header_line)
            jobs.add_rows(call, job, parsed.rows, "")
    return Response(status_code=201)


def patch_job(ctx: RestContext, job_id: str, kinds: tuple[str, ...] = INGEST) -> Response:
    data = _body(ctx)
    state = str(data.get("state") or "")
    with ctx.call() as call:
        job = _find(call, job_id, kinds)
        current = job["state"]
        if state == "UploadComplete" and current == "Open" and kinds == INGEST:
            if len(store.list_batches(call.sql, job["id"])) > 1:
                # One PUT per job: a second one is refused when the job is closed, with this text (typo
                # included) as a real org answers it (Salesforce StackExchange, "Providing multiple batches to
                # the Bulk API 2.0").
                raise _error("INVALIDJOB",
                             f"Found multipe contents for job: <{job['id'][:15]}>, please 'Close' / "
                             "'Abort' / 'Delete' the current Job then create a new Job and make sure you "
                             "only do "
                             "'PUT' once on a given Job.")
            new = "Failed" if job["error_message"] else "UploadComplete"
        elif state == "Aborted" and current in ("Open", "UploadComplete", "InProgress"):
            new = "Aborted"
            store.update_batches(call.sql, job["id"], ("Queued", "InProgress"), state="NotProcessed")
        else:
            raise _error("INVALIDJOBSTATE", f"Invalid state transition from {current} to {state or 'null'}")
        store.update_job(call.sql, job["id"], state=new)
        body = _short(store.get_job_by_id(call.sql, job["id"]))
    jobs.wake(ctx.request)
    return json_response(body)


def get_job(ctx: RestContext, job_id: str, kinds: tuple[str, ...] = INGEST) -> Response:
    with ctx.call() as call:
        body = _full(call, _find(call, job_id, kinds))
    return json_response(body)


def delete_job(ctx: RestContext, job_id: str, kinds: tuple[str, ...] = INGEST) -> Response:
    with ctx.call() as call:
        job = _find(call, job_id, kinds)
        if (job["state"] in ("Open", "InProgress") and kinds == INGEST) or job["state"] == "InProgress":
            raise _error("INVALIDJOBSTATE", f"Job {job_id} can only be deleted when it is UploadComplete, "
                         "JobComplete, Aborted or Failed")
        store.delete_job(call.sql, job["id"])
    return no_content()


def list_jobs(ctx: RestContext, kinds: tuple[str, ...] = INGEST) -> Response:
    with ctx.call() as call:
        records = [_short(j) | {"jobType": j["kind"]} for j in store.list_jobs(call.sql, call.org.org_id,
                                                                               kinds)]
    return json_response({"done": True, "records": records, "nextRecordsUrl": None})


def get_results(ctx: RestContext, job_id: str, kind: str) -> Response:
    """successfulResults / failedResults / unprocessedrecords (any case, trailing slash optional)."""
    kind = kind.lower()
    if kind not in ("successfulresults", "failedresults", "unprocessedrecords"):
        raise not_found()
    with ctx.call() as call:
        job = _find(call, job_id, INGEST)
        batches = store.list_batches(call.sql, job["id"])
        delimiter = csvdata.DELIMITERS[job["column_delimiter"]]
        ending = csvdata.LINE_ENDINGS[job["line_ending"]]
        header = job["header"] or ""
        rows: list[list[Any]] = []
        if kind == "unprocessedrecords":
            for batch in batches:
                data = store.batch_rows(call.sql, batch["id"])
                rows.extend(list(r.values()) for r in data[batch["done"]:])
            text = csvdata.write(rows, delimiter=delimiter, line_ending=ending, prefix_header=header)
        else:
            ok = kind == "successfulresults"
            results = store.results(call.sql, [b["id"] for b in batches], success=ok)
            inputs = {b["id"]: store.batch_rows(call.sql, b["id"]) for b in batches if results}
            for r in results:
                original = list(inputs[r["batch_id"]][r["row_no"]].values())
                second = ("true" if r["created"] else "false") if ok else csvdata.error_text(r["data"] or [])
                rows.append([r["record_id"] or "", second, *original])
            first = ["sf__Id", "sf__Created"] if ok else ["sf__Id", "sf__Error"]
            prefix = csvdata.quoted(first, delimiter) + (delimiter + header if header else "")
            text = csvdata.write(rows, delimiter=delimiter, line_ending=ending, prefix_header=prefix)
    return Response(text.encode("utf-8"), media_type=CSV_TYPE)


# --- query ------------------------------------------------------------------------------------------------
def post_query(ctx: RestContext) -> Response:
    data = _body(ctx)
    operation = str(data.get("operation") or "")
    if operation not in bulk.QUERY:
        raise _error("INVALIDJOB", f"Invalid operation: {operation or 'null'}")
    if not data.get("query"):
        raise _error("INVALIDJOB", "Missing query")
    line_ending, delimiter = _options(data)
    with ctx.call() as call:
        try:
            job = jobs.create(call, kind="V2Query", operation=operation, sobject="", content_type="CSV",
                              version=ctx.version, line_ending=line_ending, delimiter=delimiter,
                              query=str(data["query"]))
        except CallError as error:
            raise _as_rest(error) from None
        jobs.add_query(call, job, job["query"])
        store.update_job(call.sql, job["id"], state="UploadComplete")
        job["state"] = "UploadComplete"
        body = _created(job, ctx)
    jobs.wake(ctx.request)
    return json_response(body)


def _locator(offset: int) -> str:
    return base64.urlsafe_b64encode(str(offset).encode()).decode().rstrip("=")


def _offset(locator: str | None) -> int:
    if not locator:
        return 0
    try:
        return int(base64.urlsafe_b64decode(locator + "=" * (-len(locator) % 4)).decode())
    except ValueError:
        raise _error("INVALIDLOCATOR", f"Invalid locator: {locator}") from None


def get_query_results(ctx: RestContext, job_id: str) -> Response:
    """CSV pages: `maxRecords` rows from `locator`; Sforce-Locator names the next page ("null" on the last),
    Sforce-NumberOfRecords counts this page's rows (Bulk API 2.0 "Get Results for a Query Job")."""
    offset = _offset(ctx.params.get("locator"))
    raw_max = ctx.params.get("maxRecords")
    try:
        most = int(raw_max) if raw_max else None
    except ValueError:
        raise _error("INVALIDPARAMETER", f"Invalid maxRecords: {raw_max}") from None
    with ctx.call() as call:
        job = _find(call, job_id, QUERY)
        if job["state"] != "JobComplete":
            raise _error("INVALIDJOBSTATE", f"Job {job_id} is not complete (state {job['state']})")
        [batch] = store.list_batches(call.sql, job["id"])
        [head] = store.results(call.sql, [batch["id"]], limit=1)
        page = store.results(call.sql, [batch["id"]], offset=1 + offset, limit=most)
    delimiter = csvdata.DELIMITERS[job["column_delimiter"]]
    text = csvdata.write([head["data"]] + [r["data"] for r in page], delimiter=delimiter,
                         line_ending=csvdata.LINE_ENDINGS[job["line_ending"]])
    end = offset + len(page)
    headers = {"Sforce-Locator": _locator(end) if end < batch["total"] else "null",
               "Sforce-NumberOfRecords": str(len(page))}
    return Response(text.encode("utf-8"), media_type=CSV_TYPE, headers=headers)
