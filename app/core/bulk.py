"""Bulk loads through the record service: one chunk of a job's rows, applied with the job's options.

Both Bulk doors (1.0 and 2.0) read their wire formats into plain rows ({field: value}, values as sent: text
from CSV and XML, JSON values from JSON batches) and the worker hands them here, a chunk at a time, so that a
failing row fails alone with its Salesforce error (Bulk API 2.0 Developer Guide, "Errors in Ingest Job
Results").

Assignment: `assignmentRuleId` is Bulk's only control ("specifies the ID of a specific assignment rule to run
for a case or a lead; the assignment rule can be active or inactive", Bulk API 2.0 "Create a Job"); without it
no rule runs. Bulk has no EmailHeader, so a bulk load never asks for the assignment notification.

hardDelete: the records are deleted and leave no trace in the recycle bin (queryAll does not see them,
undelete cannot bring them back), and only a user with the "Bulk API Hard Delete" permission may create such a
job (Bulk API Developer Guide, "JobInfo", operation hardDelete).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sfmock.core import ids
from sfmock.core.errors import CallError, RecordError
from sfmock.core.options import NO_ASSIGNMENT, Assignment
from sfmock.core.records import RecordService
from sfmock.core.results import RecordInput, SaveResult
from sfmock.core.schema import SchemaRegistry, SObjectDef, registry

INGEST = ("insert", "update", "upsert", "delete", "hardDelete")
QUERY = ("query", "queryAll")
# Rows per unit of work (one transaction each) at most: the record service's own call limit. The worker takes
# fewer when a call arrives mid-chunk (sfmock.bulk.worker.SLICE), so that none waits long behind a chunk.
CHUNK = 200
# Data Loader / Bulk API: "#N/A" in a CSV cell sets the field to null (an empty cell is ignored).
NULL_TEXT = "#N/A"
# Salesforce's refusal of a hardDelete job to a user without the permission: exception code FeatureNotEnabled
# and this text, verbatim as Data Loader matches it (forcedotcom/dataloader, BulkLoadVisitor's
# getOverrideMessage).
HARD_DELETE_REFUSED = ("hardDelete operation requires special user profile permission, please contact your "
                       "system administrator")


def assignment_for(rule_id: str | None) -> Assignment:
    return Assignment.by_rule(rule_id) if rule_id else NO_ASSIGNMENT


def check_job(operation: str, sobject: str, external_id_field: str | None, rule_id: str | None,
              schema: SchemaRegistry = registry, user: dict[str, Any] | None = None) -> SObjectDef:
    """The checks made when a job is created against the org's schema: the object, the upsert key (an External
    ID field, custom ones included, or an idLookup one), the rule id, and for hardDelete the user's
    permission."""
    if operation == "hardDelete" and not (user or {}).get("PermissionsBulkApiHardDelete"):
        raise CallError("FeatureNotEnabled", HARD_DELETE_REFUSED)
    found = schema.get(sobject)
    if found is None:
        raise CallError("INVALID_TYPE", f"Unable to find object: {sobject}")
    if operation == "upsert":
        field = found.field(external_id_field or "")
        if not external_id_field:
            raise CallError("INVALID_FIELD", "External ID was blank for upsert")
        if field is None or not (field.external_id or field.id_lookup):
            raise CallError("INVALID_FIELD",
                            f"Field name provided, {external_id_field} is not an External ID "
                            f"or indexed field for {found.name}")
    if rule_id:
        canonical = ids.canonical(rule_id)
        if canonical is None or not canonical.startswith("01Q"):
            raise CallError("MALFORMED_ID", f"Invalid id: {rule_id}")
    return found


def unknown_columns(sobject: SObjectDef, columns: Sequence[str]) -> list[str]:
    """Header names that are no field of the object (a relationship column `Owner.Username` is allowed)."""
    return [c for c in columns if "." not in c and ((field := sobject.field(c)) is None or field.hidden)]


def _input(sobject: str, row: dict[str, Any], operation: str) -> RecordInput:
    values: dict[str, Any] = {}
    to_null: list[str] = []
    record_id = None
    for name, value in row.items():
        if name.lower() == "id":
            record_id = value or None
            if operation == "upsert" and value:
                values[name] = value
            continue
        if value is None or value == NULL_TEXT:
            to_null.append(name)
        elif value != "":
            values[name] = value
    return RecordInput(sobject, values, tuple(to_null), record_id)


def apply_chunk(service: RecordService, *, operation: str, sobject: str, rows: Sequence[dict[str, Any]],
                external_id_field: str | None = None, rule_id: str | None = None) -> list[SaveResult]:
    """One SaveResult per row, in row order; a call-level error fails every row of the chunk with it."""
    assignment = assignment_for(rule_id)
    inputs = [_input(sobject, row, operation) for row in rows]
    try:
        if operation == "insert":
            for record in inputs:
                # Bulk inserts ignore an Id column only when it is empty; a filled one fails that row.
                if record.id:
                    record.values["Id"] = record.id
            return service.create(inputs, assignment=assignment, notify_owner=False)
        if operation == "update":
            return service.update(inputs, assignment=assignment, notify_owner=False)
        if operation == "upsert":
            return service.upsert(external_id_field or "Id", inputs, assignment=assignment,
                                  notify_owner=False)
        if operation in ("delete", "hardDelete"):
            return _delete(service, inputs, hard=operation == "hardDelete")
    except CallError as error:
        return [SaveResult.failed(RecordError(error.code, error.message, error.fields)) for _ in rows]
    raise CallError("INVALID_OPERATION", f"Invalid operation: {operation}")


def _delete(service: RecordService, inputs: list[RecordInput], *, hard: bool) -> list[SaveResult]:
    missing = [i for i, r in enumerate(inputs) if not r.id]
    present = [r.id for r in inputs if r.id]
    deleted = service.delete(present) if present else []
    if hard:
        # The delete's own checks and results, then the deleted rows go at once rather than to the bin.
        service.empty_recycle_bin([r.id for r in deleted if r.success and r.id])
    done = iter(deleted)
    out = []
    for i in range(len(inputs)):
        if i in missing:
            out.append(SaveResult.failed(RecordError("MISSING_ARGUMENT", "Id not specified in a delete call",
                                                     ["Id"])))
        else:
            out.append(next(done))
    return out
