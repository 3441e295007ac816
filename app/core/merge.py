"""merge(): up to three records of one type become one (SOAP API "merge()").

Per request: the master record (its Id plus the field values to keep, written to it) and one or two records
to merge into it. The others are deleted (to the recycle bin) and their children re-parented to the master;
the result names the merged ids and the re-parented children. Lead, Contact and Account merge (Case from API
58.0 [UNCONFIRMED in the Partner WSDL docs]); at most 200 requests per call. Each request runs in its own
savepoint: one that fails leaves nothing behind and the others go on.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sfmock.core.errors import CallError, RecordError, SalesforceError
from sfmock.core.options import NO_ASSIGNMENT, Assignment
from sfmock.core.relationships import child_relationships
from sfmock.core.results import RecordInput

MERGEABLE = frozenset({"Lead", "Contact", "Account", "Case"})
MAX_REQUESTS = 200
MAX_MERGED = 2


@dataclass
class MergeRequest:
    master: RecordInput
    merge_ids: list[str]


@dataclass
class MergeResult:
    id: str | None
    success: bool
    errors: list[SalesforceError] = field(default_factory=list)
    merged_ids: list[str] = field(default_factory=list)
    updated_related_ids: list[str] = field(default_factory=list)


def merge(service: Any, requests: list[MergeRequest], *, assignment: Assignment = NO_ASSIGNMENT,
          notify_owner: bool = False) -> list[MergeResult]:
    if len(requests) > MAX_REQUESTS:
        raise CallError("EXCEEDED_ID_LIMIT", f"record limit reached. cannot submit more than {MAX_REQUESTS} "
                        "records into this call")
    out: list[MergeResult] = []
    for request in requests:
        try:
            with service.store.savepoint():
                out.append(_one(service, request, assignment, notify_owner))
        except RecordError as error:
            out.append(MergeResult(request.master.id, False, [error]))
    return out


def _one(service: Any, request: MergeRequest, assignment: Assignment, notify: bool) -> MergeResult:
    master_id = service._parse_id(request.master.id)
    sobject = service._sobject(request.master.sobject) if request.master.sobject else \
        service._sobject_of(master_id)
    if sobject.name not in MERGEABLE:
        # [UNCONFIRMED] text.
        raise RecordError("INVALID_TYPE_FOR_OPERATION", f"entity type cannot be merged: {sobject.label}")
    if not request.merge_ids or len(request.merge_ids) > MAX_MERGED:
        # [UNCONFIRMED] text; the limit (master plus two) is the merge() doc's.
        raise RecordError("INVALID_ARGUMENT",
                          "A merge request names one or two records to merge with the master")
    service._existing(sobject, master_id)
    losers = [service._parse_id(i) for i in request.merge_ids]
    for loser in losers:
        if loser == master_id:
            raise RecordError("INVALID_ID_FIELD", "The master record id must not be one of the ids to merge")
        service._existing(sobject, loser)  # same type (MALFORMED_ID otherwise), present, not deleted
    values = {k: v for k, v in request.master.values.items() if k.lower() != "id"}
    if values or request.master.fields_to_null:
        written = service.update([RecordInput(sobject.name, values, request.master.fields_to_null,
                                              master_id)],
                                 assignment=assignment, notify_owner=notify)[0]
        if not written.success:
            raise written.errors[0]
    related: list[str] = []
    for relationship in child_relationships(sobject, service.store.schema):
        for loser in losers:
            for child in service.store.find(relationship.child, {relationship.field: loser}):
                service.store.update(relationship.child, child["Id"], {relationship.field: master_id}
                                     | service._stamp(modified_only=True))
                related.append(child["Id"])
    for loser in losers:
        service.store.update(sobject.name, loser, {"IsDeleted": True} | service._stamp(modified_only=True))
    return MergeResult(master_id, True, [], losers, related)
