"""Bulk API 1.0 (`/services/async/NN.0/job…`, header X-SFDC-Session): jobs, batches, results and the Bulk
error envelope. Requests and answers are XML or JSON as the job's contentType (or the request's Content-Type)
says."""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from sfmock import calls
from sfmock.bulk import jobs
from sfmock.bulk.v1wire import (
    CONTENT_TYPES,
    BulkError,
    batch_list,
    document,
    error_document,
    query_results,
    read_job,
    read_rows,
    result_list,
    save_results,
)
from sfmock.core import bulk, ids
from sfmock.core.errors import CallError, QueryError, SalesforceError
from sfmock.persistence import bulk_jobs as store
from sfmock.request_body import BodyError, read_body
from sfmock.rest.responses import format_datetime

log = logging.getLogger("sfmock.bulk")
# Bulk API limits: a batch holds at most 10,000 records and 10 MB ("Bulk API and Bulk API 2.0 Limits").
MAX_ROWS = 10_000
MAX_BATCH_BYTES = 10 * 1024 * 1024
# jsforce re-authenticates only on 400 whose body contains "InvalidSessionId" (its bulk.js).
INVALID_SESSION = ("InvalidSessionId", "Invalid session id")
_PREFIX = "/services/async/{version}"
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")


@dataclass
class Ctx:
    request: Request
    body: bytes
    version: str
    is_json: bool
    db: Any
    settings: Any

    def call(self) -> Any:
        token = self.request.headers.get("x-sfdc-session")
        return calls.api_call(self.db, token, api="bulk", request_limit=self.settings.api_request_limit)


def _stamp(value: Any) -> str:
    # 2015-12-15T21:41:45.000Z (jobInfo createdDate in the Bulk API guide).
    return format_datetime(value).replace("+0000", "Z")


def _job_fields(call: Any, job: dict[str, Any], is_json: bool) -> list[tuple[str, Any]]:
    counts = store.counts(call.sql, job["id"])
    by_state = counts["batches"]
    out: list[tuple[str, Any]] = [
        ("id", job["id"]), ("operation", job["operation"]), ("object", job["object"]),
        ("createdById", job["user_id"]), ("createdDate", _stamp(job["created_at"])),
        ("systemModstamp", _stamp(job["modstamp"])), ("state", job["state"])]
    if job["external_id_field"]:
        out.append(("externalIdFieldName", job["external_id_field"]))
    out += [("concurrencyMode", job["concurrency_mode"]), ("contentType", job["content_type"]),
            ("numberBatchesQueued", by_state.get("Queued", 0)),
            ("numberBatchesInProgress", by_state.get("InProgress", 0)),
            ("numberBatchesCompleted", by_state.get("Completed", 0)),
            ("numberBatchesFailed", by_state.get("Failed", 0)),
            ("numberBatchesTotal", sum(by_state.values())),
            ("numberRecordsProcessed", counts["processed"]), ("numberRetries", 0),
            ("apiVersion", float(job["api_version"]) if is_json else job["api_version"])]
    if job["assignment_rule_id"]:
        out.append(("assignmentRuleId", job["assignment_rule_id"]))
    out += [("numberRecordsFailed", counts["failed"]), ("totalProcessingTime", 0),
            ("apiActiveProcessingTime", 0), ("apexProcessingTime", 0)]
    return out


def _batch_fields(batch: dict[str, Any]) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = [("id", batch["id"]), ("jobId", batch["job_id"]), ("state", batch["state"])]
    if batch["state_message"]:
        out.append(("stateMessage", batch["state_message"]))
    return [*out, ("createdDate", _stamp(batch["created_at"])), ("systemModstamp", _stamp(batch["modstamp"])),
            ("numberRecordsProcessed", batch["done"]), ("numberRecordsFailed", batch["failed"]),
            ("totalProcessingTime", 0), ("apiActiveProcessingTime", 0), ("apexProcessingTime", 0)]


def _respond(body_type: tuple[bytes, str], status: int = 200) -> Response:
    body, media = body_type
    # The Content-Type exactly as given: Starlette would add "; charset=utf-8" to text/csv, and
    # salesforce-bulk reads results only for the bare "text/csv".
    return Response(body, status_code=status, headers={"Content-Type": media})


def _find(call: Any, job_id: str) -> dict[str, Any]:
    job = jobs.find(call, job_id, ("V1",))
    if job is None:
        # [UNCONFIRMED] wording; InvalidJob is the code for "the job ID specified … is invalid" (Errors page).
        raise BulkError("InvalidJob", f"Unable to find job: {job_id}")
    return job


def _batch(call: Any, job: dict[str, Any], batch_id: str) -> dict[str, Any]:
    batch = store.get_batch(call.sql, job["id"], batch_id)
    if batch is None:
        raise BulkError("InvalidBatch", f"Unable to find batch: {batch_id}")
    return batch


def _concurrency(raw: str) -> str:
    # simple-salesforce sends 0 / 1 for Parallel / Serial.
    found = {"parallel": "Parallel", "serial": "Serial", "0": "Parallel", "1": "Serial", "": "Parallel"}
    if raw.strip().lower() not in found:
        raise BulkError("InvalidJob", f"Invalid concurrency mode: {raw}")
    return found[raw.strip().lower()]


# --- handlers ---------------------------------------------------------------------------------------------
def create_job(ctx: Ctx) -> Response:
    info = read_job(ctx.body, ctx.is_json)
    operation = info.get("operation", "")
    if operation not in bulk.INGEST + bulk.QUERY:
        raise BulkError("InvalidJob", f"Invalid operation: {operation or 'null'}" if operation else
                        "Missing operation")
    if not info.get("object"):
        raise BulkError("InvalidJob", "Missing object")
    content_type = (info.get("contentType") or "XML").upper()
    if content_type not in CONTENT_TYPES:
        raise BulkError("InvalidJob", f"Unsupported content type: {info.get('contentType')}")
    concurrency = _concurrency(info.get("concurrencyMode", ""))
    with ctx.call() as call:
        try:
            job = jobs.create(call, kind="V1", operation=operation, sobject=info["object"],
                              content_type=content_type, version=ctx.version, concurrency=concurrency,
                              external_id=info.get("externalIdFieldName") or None,
                              rule_id=info.get("assignmentRuleId") or None,
                              )
        except CallError as error:
            # A hardDelete without the permission keeps its FeatureNotEnabled (sfmock.core.bulk).
            raise BulkError(error.code if error.code == "FeatureNotEnabled" else "InvalidJob",
                            error.message) from None
        fields = _job_fields(call, job, ctx.is_json or content_type == "JSON")
    return _respond(document("jobInfo", fields, ctx.is_json or content_type == "JSON"), 201)


def job(ctx: Ctx, job_id: str) -> Response:
    """GET: jobInfo. POST: {state: Closed | Aborted}."""
    with ctx.call() as call:
        found = _find(call, job_id)
        is_json = ctx.is_json or found["content_type"] == "JSON"
        if ctx.request.method == "POST":
            state = read_job(ctx.body, ctx.is_json).get("state", "")
            if state not in ("Closed", "Aborted") or found["state"] != "Open":
                raise BulkError("InvalidJobState", f"Invalid state transition from {found['state']} to "
                                f"{state or 'null'}")
            if state == "Aborted":
                store.update_batches(call.sql, found["id"], ("Queued", "InProgress"), state="NotProcessed")
            store.update_job(call.sql, found["id"], state=state)
            found = store.get_job_by_id(call.sql, found["id"])
        fields = _job_fields(call, found, is_json)
    return _respond(document("jobInfo", fields, is_json))


def batches(ctx: Ctx, job_id: str) -> Response:
    """POST: add a batch (ingest rows, or a query's SOQL). GET: batchInfoList."""
    with ctx.call() as call:
        found = _find(call, job_id)
        is_json = found["content_type"] == "JSON"
        if ctx.request.method == "GET":
            infos = [_batch_fields(b) for b in store.list_batches(call.sql, found["id"])]
            return _respond(batch_list(infos, is_json))
        if found["state"] != "Open":
            raise BulkError("InvalidJobState",
                            f"Job {found['id']} is not open: its state is {found['state']}")
        media = ctx.request.headers.get("content-type", "").split(";")[0].strip().lower()
        expected = CONTENT_TYPES[found["content_type"]]
        if media and media != expected and not (media == "text/xml" and expected == "application/xml"):
            raise BulkError("InvalidBatch", f"Batch Content-Type {media} does not match the job's "
                            f"contentType {found['content_type']}")
        request_text = ctx.body.decode("utf-8", "replace")
        if found["operation"] in bulk.QUERY:
            soql = request_text.strip()
            try:
                jobs.check_query(call, soql, found["operation"])
            except (QueryError, CallError) as error:
                batch = jobs.add_rows(call, found, [], request_text,
                                      failure=f"{error.code} : {error.message}")
            else:
                batch = jobs.add_query(call, found, soql)
        else:
            try:
                rows = read_rows(ctx.body, found["content_type"])
                failure = None
                if len(rows) > MAX_ROWS:
                    # [UNCONFIRMED] wording; the limit is Salesforce's.
                    failure = f"ClientInputError : Exceeded max number of records per batch: {MAX_ROWS}"
                elif found["content_type"] == "CSV":
                    failure = jobs.unknown_field_message(call, found["object"], list(rows[0]) if rows else [])
            except CallError as error:
                rows, failure = [], f"{error.code} : {error.message}"
            batch = jobs.add_rows(call, found, rows, request_text, failure=failure)
        fields = _batch_fields(batch)
    jobs.wake(ctx.request)
    return _respond(document("batchInfo", fields, is_json), 201)


def batch(ctx: Ctx, job_id: str, batch_id: str) -> Response:
    with ctx.call() as call:
        found = _find(call, job_id)
        fields = _batch_fields(_batch(call, found, batch_id))
    return _respond(document("batchInfo", fields, found["content_type"] == "JSON"))


def batch_request(ctx: Ctx, job_id: str, batch_id: str) -> Response:
    with ctx.call() as call:
        found = _find(call, job_id)
        _batch(call, found, batch_id)
        text = store.batch_request(call.sql, batch_id)
    return _respond((text.encode("utf-8"), CONTENT_TYPES[found["content_type"]]))


def _result_id(batch_id: str) -> str:
    return ids.to18("752" + batch_id[3:15])


def batch_result(ctx: Ctx, job_id: str, batch_id: str) -> Response:
    with ctx.call() as call:
        found = _find(call, job_id)
        info = _batch(call, found, batch_id)
        if info["state"] != "Completed":
            # [UNCONFIRMED] wording: results exist once a batch is Completed.
            raise BulkError("InvalidBatch", f"Batch not completed: its state is {info['state']}")
        if found["operation"] in bulk.QUERY:
            return _respond(result_list([_result_id(batch_id)], found["content_type"] == "JSON"))
        rows = store.results(call.sql, [batch_id])
    return _respond(save_results(rows, found["content_type"]))


def query_result(ctx: Ctx, job_id: str, batch_id: str, result_id: str) -> Response:
    with ctx.call() as call:
        found = _find(call, job_id)
        info = _batch(call, found, batch_id)
        if (
            found["operation"] not in bulk.QUERY
            or info["state"] != "Completed"
            or result_id != _result_id(batch_id)
        ):
            raise BulkError("InvalidBatch", f"Unable to find result: {result_id}")
        rows = store.results(call.sql, [batch_id])
    header, records = rows[0]["data"], [r["data"] for r in rows[1:]]
    return _respond(query_results(header, records, found["object"], f"/services/data/v{ctx.version}",
                                  found["content_type"]))


def _unknown(ctx: Ctx, **_: Any) -> Response:
    raise BulkError("InvalidUrl", f"Unknown URL: {ctx.request.url.path}", 404)


# --- routing ----------------------------------------------------------------------------------------------
def _endpoint(handler: Callable[..., Response], methods: tuple[str, ...]) -> Callable[..., Any]:
    async def endpoint(request: Request) -> Response:
        state = request.app.state
        is_json = request.headers.get("content-type", "").lower().startswith("application/json")
        try:
            params = dict(request.path_params)
            version = params.pop("version", "")
            if request.method not in methods:
                raise BulkError("InvalidUrl", f"HTTP method {request.method} not allowed", 405)
            if not state.settings.supports_version(version):
                raise BulkError("InvalidVersion", f"Invalid api version specified on URL: {version}", 400)
            try:
                body = await read_body(request, MAX_BATCH_BYTES) if request.method == "POST" else b""
            except BodyError:
                # [UNCONFIRMED] wording; 10 MB is the batch size limit.
                raise BulkError("ClientInputError", f"Exceeded max size limit of {MAX_BATCH_BYTES} bytes "
                                "for a batch") from None
            ctx = Ctx(request, body, version, is_json, state.db, state.settings)
            return await run_in_threadpool(handler, ctx, **params)
        except BulkError as error:
            return _respond(error_document(error.code, error.message, is_json), error.status)
        except SalesforceError as error:
            if error.code == "INVALID_SESSION_ID":
                return _respond(error_document(*INVALID_SESSION, is_json), 400)
            if error.code == "REQUEST_LIMIT_EXCEEDED":
                return _respond(error_document("ExceededQuota", error.message, is_json), 400)
            return _respond(error_document("InvalidJob", error.message, is_json), 400)
        except Exception:  # noqa: BLE001 - never a traceback on the wire
            log.exception("unexpected error in a Bulk 1.0 call")
            return _respond(error_document("InternalServerError", "An unexpected error occurred", is_json),
                            500)

    return endpoint


def router(settings: Any) -> APIRouter:
    r = APIRouter()
    routes: list[tuple[str, Callable[..., Response], tuple[str, ...]]] = [
        ("/job", create_job, ("POST",)),
        ("/job/{job_id}", job, ("GET", "POST")),
        ("/job/{job_id}/batch", batches, ("GET", "POST")),
        ("/job/{job_id}/batch/{batch_id}", batch, ("GET",)),
        ("/job/{job_id}/batch/{batch_id}/request", batch_request, ("GET",)),
        ("/job/{job_id}/batch/{batch_id}/result", batch_result, ("GET",)),
        ("/job/{job_id}/batch/{batch_id}/result/{result_id}", query_result, ("GET",)),
        ("/{rest:path}", _unknown, _METHODS),
    ]
    for path, handler, methods in routes:
        for variant in {_PREFIX + path, _PREFIX + path.rstrip("/") + "/"}:
            r.add_api_route(variant, _endpoint(handler, methods), methods=list(_METHODS),
                            include_in_schema=False)
    return r
