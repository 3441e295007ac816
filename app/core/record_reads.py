"""The record service's reads and lookups: the records a call names, by id or external id, and the objects
they belong to (sfmock.core.records.RecordService builds its writes on them)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sfmock.core import ids
from sfmock.core.errors import CallError, RecordError, invalid_type
from sfmock.core.ports import Store
from sfmock.core.schema import SObjectDef
from sfmock.core.validation import folded_keys, key_value
from sfmock.core.values import storable

MAX_RECORDS = 200
# retrieve() takes up to 2,000 ids (SOAP API "retrieve()": "maximum number of records is 2,000").
MAX_RETRIEVE = 2000


def limit(count: int, most: int = MAX_RECORDS) -> None:
    if count > most:
        # Text seen by clients (SOAP API limits: 200 records per create/update/delete call).
        raise CallError("EXCEEDED_ID_LIMIT",
                        f"record limit reached. cannot submit more than {most} records into "
                        "this call")


class RecordReads:
    """Reads over the call's store (`store`, set by RecordService)."""

    store: Store

    def live_row(self, sobject_name: str, record_id: str) -> dict[str, Any]:
        """The record a URL names, for doors that address one record: NOT_FOUND when there is none (REST's
        404), ENTITY_IS_DELETED when it is in the recycle bin (also a 404 over REST)."""
        row = self.store.get(sobject_name, record_id, include_deleted=True)
        if row is None:
            raise CallError("NOT_FOUND", "The requested resource does not exist")
        if row.get("IsDeleted"):
            raise RecordError("ENTITY_IS_DELETED", "entity is deleted")
        return row

    # --- reads --------------------------------------------------------------------------------------
    def external_matches(self, sobject_name: str, field_name: str, raw: Any) -> list[dict[str, Any]]:
        """The records whose external id field holds this value (sent as text or JSON); text in any case
        unless the field is case-sensitive."""
        sobject = self._sobject(sobject_name)
        field = sobject.field(field_name)
        if field is None:
            return []  # the doors name an external id field of the object; no such field holds the value
        if isinstance(raw, str) and not storable(raw):
            return []  # no stored value holds NUL or a lone surrogate: a lookup by one finds nothing
        return self.store.find(sobject.name, {field.name: key_value(field, raw)},
                               ignore_case=folded_keys(field))

    def retrieve(self, sobject_name: str, record_ids: Sequence[str],
                 fields: Sequence[str]) -> list[dict[str, Any] | None]:
        """Rows with the asked fields (canonical names, Id first); None for ids not found."""
        limit(len(record_ids), MAX_RETRIEVE)
        sobject = self._sobject(sobject_name)
        wanted: list[str] = []
        for name in fields:
            field = sobject.field(name.strip())
            if field is None or field.hidden:
                raise CallError("INVALID_FIELD",
                                f"No such column '{name.strip()}' on entity '{sobject.name}'. If "
                                "you are attempting to use a custom field, be sure to append the '__c' after "
                                "the custom field name. Please reference your WSDL or the describe call for "
                                "the appropriate names.", [name.strip()])
            if field.name not in wanted:
                wanted.append(field.name)
        out: list[dict[str, Any] | None] = []
        for raw in record_ids:
            found = ids.canonical(raw)
            if found is None:
                raise CallError("MALFORMED_ID", f"Invalid id: {raw}")
            row = self.store.get(sobject.name, found) if found.startswith(sobject.key_prefix) else None
            out.append(None if row is None else {"Id": row["Id"]} | {n: row.get(n) for n in wanted})
        return out

    # --- pieces ---------------------------------------------------------------------------------------
    def _sobject(self, name: str | None) -> SObjectDef:
        found = self.store.schema.get(name) if name else None
        if found is None:
            raise invalid_type(name or "")
        return found

    def _sobject_of(self, record_id: str) -> SObjectDef:
        found = self.store.schema.by_prefix(record_id[:3])
        if found is None:
            raise RecordError("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id")
        return found

    @staticmethod
    def _parse_id(raw: str | None) -> str:
        found = ids.canonical(raw or "")
        if found is None:
            raise RecordError("MALFORMED_ID", f"Id: id value of incorrect type: {raw}", ["Id"])
        return found

    def _existing(self, sobject: SObjectDef, record_id: str) -> dict[str, Any]:
        if not record_id.startswith(sobject.key_prefix):
            raise RecordError("MALFORMED_ID", f"Id: id value of incorrect type: {record_id}", ["Id"])
        row = self.store.get(sobject.name, record_id, include_deleted=True)
        if row is None:
            raise RecordError("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id")
        if row.get("IsDeleted"):
            raise RecordError("ENTITY_IS_DELETED", "entity is deleted")
        return row
