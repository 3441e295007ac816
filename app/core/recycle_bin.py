"""The recycle bin: undelete (SOAP undelete()) and purge (SOAP emptyRecycleBin()), one record at a time inside
the record service's write path (its savepoints, all-or-none and 200-record limit).

Sources: SOAP API "undelete()" (the record must be in the recycle bin; AllOrNoneHeader allowed) and
"emptyRecycleBin()" (up to 200 ids; the records must be in the recycle bin; a purged record cannot be
undeleted). A delete in sfmock sets IsDeleted (the bin); a purge removes the row.
"""
from __future__ import annotations

from typing import Any

from sfmock.core.errors import RecordError
from sfmock.core.results import SaveResult


def _deleted_row(service: Any, raw_id: str | None) -> tuple[Any, str]:
    record_id = service._parse_id(raw_id)
    sobject = service._sobject_of(record_id)
    row = service.store.get(sobject.name, record_id, include_deleted=True)
    if row is None:
        raise RecordError("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id")
    if not row.get("IsDeleted"):
        # [UNCONFIRMED] wording; UNDELETE_FAILED is the code the undelete() doc names.
        raise RecordError("UNDELETE_FAILED", "Entity is not in the recycle bin")
    return sobject, record_id


def undelete_one(service: Any, record: Any) -> SaveResult:
    sobject, record_id = _deleted_row(service, record.id)
    if not sobject.deletable:
        raise RecordError("INVALID_TYPE_FOR_OPERATION", f"entity type cannot be undeleted: {sobject.label}")
    service.store.update(sobject.name, record_id, {"IsDeleted": False} | service._stamp(modified_only=True))
    return SaveResult.ok(record_id)


def purge_one(service: Any, record: Any) -> SaveResult:
    sobject, record_id = _deleted_row(service, record.id)
    service.store.purge(sobject.name, record_id)
    return SaveResult.ok(record_id)
