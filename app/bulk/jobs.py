"""What both Bulk doors do to jobs inside an API call: create one (checked by the core), find one, add a batch
of rows, and hand the worker its work. Wire shapes and error formats stay in the doors."""
from __future__ import annotations

from typing import Any

from sfmock.core import bulk
from sfmock.core.errors import CallError
from sfmock.persistence import bulk_jobs as store
from sfmock.soql.parser import parse
from sfmock.soql.translate import build_plan

Row = dict[str, Any]


def create(call: Any, *, kind: str, operation: str, sobject: str, content_type: str, version: str,
           concurrency: str = "Parallel", external_id: str | None = None, rule_id: str | None = None,
           line_ending: str | None = None, delimiter: str | None = None, query: str | None = None) -> Row:
    if operation in bulk.QUERY and query is not None:
        plan = check_query(call, query, operation)
        sobject = plan.shape.sobject if plan.shape else sobject
    elif operation in bulk.QUERY:
        found = call.store.schema.get(sobject)
        if found is None:
            raise CallError("INVALID_TYPE", f"Unable to find object: {sobject}")
        sobject = found.name
    else:
        sobject = bulk.check_job(operation, sobject, external_id, rule_id, call.store.schema, call.user).name
    [job_id] = call.store.new_ids("750")
    entry = call.journal
    entry.door = "bulk" if kind == "V1" else "bulk2"
    entry.operation, entry.sobject = "createJob", sobject
    entry.assignment = rule_id or "none"
    return store.create_job(
        call.sql, job_id, org_id=call.org.org_id, user_id=call.user["Id"], kind=kind, operation=operation,
        object=sobject, state="Open", content_type=content_type, concurrency_mode=concurrency,
        external_id_field=external_id, assignment_rule_id=rule_id, line_ending=line_ending,
        column_delimiter=delimiter, api_version=version, query=query)


def check_query(call: Any, soql: str, operation: str) -> Any:
    """The query's plan; a bad query raises its QueryError, an aggregate one is refused."""
    plan = build_plan(parse(soql), call.org.org_id, include_deleted=operation == "queryAll",
                      now=call.now, schema=call.store.schema)
    if plan.kind != "rows":
        # Bulk API "Bulk Query": aggregate functions and COUNT() are not supported [UNCONFIRMED wording].
        raise CallError("FeatureNotEnabled", "Aggregate queries are not supported in Bulk Query")
    return plan


def find(call: Any, job_id: str, kinds: tuple[str, ...]) -> Row | None:
    job = store.get_job(call.sql, call.org.org_id, job_id, lock=True)
    return job if job is not None and job["kind"] in kinds else None


def add_rows(call: Any, job: Row, rows: list[Row], request: str, *, failure: str | None = None) -> Row:
    """A batch of rows to load; with `failure`, a batch that failed as it arrived (bad data) and runs
    nothing."""
    [batch_id] = call.store.new_ids("751")
    if failure is not None:
        return store.add_batch(call.sql, batch_id, job["id"], rows=[], request=request, state="Failed",
                               state_message=failure)
    return store.add_batch(call.sql, batch_id, job["id"], rows=rows, request=request)


def add_query(call: Any, job: Row, soql: str) -> Row:
    [batch_id] = call.store.new_ids("751")
    return store.add_batch(call.sql, batch_id, job["id"], rows={"soql": soql}, request=soql)


def unknown_field_message(call: Any, sobject: str, columns: list[str]) -> str | None:
    """Bulk's answer to a header naming no field of the org's object: "InvalidBatch : Field name not found :
    Name" (as clients report it from real orgs, e.g. heroku/salesforce-bulk #101)."""
    found = call.store.schema.get(sobject)
    bad = bulk.unknown_columns(found, columns) if found else []
    return f"InvalidBatch : Field name not found : {bad[0]}" if bad else None


def wake(request: Any) -> None:
    worker = getattr(request.app.state, "bulk_worker", None)
    if worker is not None:
        worker.wake()
