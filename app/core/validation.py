"""Salesforce's checks on the fields a caller sends: known, writable, of the right type, required present."""
from __future__ import annotations

from typing import Any

from sfmock.core.errors import RecordError, required_missing
from sfmock.core.ports import Store
from sfmock.core.schema import FieldDef, SObjectDef
from sfmock.core.values import coerce


class UnknownField(RecordError):
    """A field the object does not have. REST reports it per record with this text; SOAP refuses the whole
    call with an INVALID_FIELD fault (the Partner API reads the sObject before any record is saved)."""

    def __init__(self, sobject: str, name: str) -> None:
        super().__init__("INVALID_FIELD", f"No such column '{name}' on sobject of type {sobject}", [name])
        self.sobject = sobject
        self.name = name


def _unknown(sobject: SObjectDef, name: str) -> RecordError:
    return UnknownField(sobject.name, name)


def read_values(sobject: SObjectDef, values: dict[str, Any], fields_to_null: tuple[str, ...], *,
                creating: bool) -> dict[str, Any]:
    """The sent fields as canonical name -> typed value; Id is left to the caller."""
    out: dict[str, Any] = {}
    not_writable: list[str] = []
    for raw_name, raw_value in values.items():
        field = sobject.field(raw_name)
        if field is None or field.hidden:
            raise _unknown(sobject, raw_name)
        if field.name == "Id":
            continue
        if not (field.createable if creating else field.updateable):
            not_writable.append(field.name)
            continue
        out[field.name] = coerce(field, raw_value)
    for raw_name in fields_to_null:
        field = sobject.field(raw_name)
        if field is None or field.hidden:
            raise _unknown(sobject, raw_name)
        if not (field.createable if creating else field.updateable):
            not_writable.append(field.name)
            continue
        out[field.name] = None
    if not_writable:
        verb = "create" if creating else "update"
        raise RecordError(
            "INVALID_FIELD_FOR_INSERT_UPDATE",
            f"Unable to {verb}/update fields: {', '.join(not_writable)}. Please check the security settings "
            "of this field and verify that it is read/write for your profile or permission set.",
            not_writable,
        )
    return out


def check_required(sobject: SObjectDef, row: dict[str, Any]) -> None:
    """REQUIRED_FIELD_MISSING listing, in schema order, every required field that is blank."""
    missing = [
        f.name for f in sobject.fields
        if not f.nillable and f.createable and not f.hidden and row.get(f.name) in (None, "")
    ]
    if missing:
        raise required_missing(missing)


def full_name(row: dict[str, Any]) -> str | None:
    """Name of a Lead or User: "FirstName LastName" (Salesforce computes it; read-only)."""
    parts = [row.get("FirstName"), row.get("LastName")]
    text = " ".join(p for p in parts if p)
    return text or None


def folded_keys(field: FieldDef) -> tuple[str, ...]:
    """A text field's values match in any case unless it is case-sensitive (CustomField `caseSensitive`, which
    only a unique Text field has; external ids are case-insensitive otherwise,
    salesforce-schema-and-surface.md §1.2)."""
    return (
        (field.name,)
        if field.is_text and not field.case_sensitive and field.type not in ("id", "reference")
        else ()
    )


def key_value(field: FieldDef, raw: Any) -> Any:
    """An external id as sent (URL text, SOAP text, JSON) as the value stored for the field."""
    return coerce(field, raw)


def check_unique(store: Store, sobject: SObjectDef, values: dict[str, Any], record_id: str | None) -> None:
    """A unique field (a custom field's `unique`) holds each value once per org: DUPLICATE_VALUE names the
    record that has it (salesforce-schema-and-surface.md §1.6, "duplicate value found: <ApiName> duplicates
    value on record with id: <id>", no fields)."""
    for name, value in values.items():
        field = sobject.field(name)
        if value is None or field is None or not field.unique or not field.custom:
            continue
        found = store.find(sobject.name, {field.name: value}, ignore_case=folded_keys(field))
        clash = next((r for r in found if r["Id"] != record_id), None)
        if clash is not None:
            raise RecordError("DUPLICATE_VALUE",
                              f"duplicate value found: {field.name} duplicates value on record "
                              f"with id: {clash['Id']}", [])


def check_record_type(sobject: SObjectDef, row: dict[str, Any], sent: dict[str, Any]) -> None:
    """The record's record type limits its picklists to the values the type lists, restricted or not
    (MinnPost #128: INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST even on an unrestricted field)."""
    record_type = sobject.record_type(row["RecordTypeId"]) if row.get("RecordTypeId") else None
    if record_type is None:
        return
    for name, value in sent.items():
        allowed = record_type.values_for(name)
        field = sobject.field(name)
        if value is None or allowed is None or field is None:
            continue
        parts = str(value).split(";") if field.type == "multipicklist" else [str(value)]
        if any(p not in allowed[0] for p in parts):
            raise RecordError("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                              f"{field.label}: bad value for restricted picklist field: {value}",
                              [field.name])


def record_type_defaults(sobject: SObjectDef, row: dict[str, Any], sent: dict[str, Any]) -> None:
    """A new record of a record type takes the type's default value for each picklist it did not send
    (RecordType picklistValues `default`, Metadata API)."""
    record_type = sobject.record_type(row["RecordTypeId"]) if row.get("RecordTypeId") else None
    for name, _values, default in record_type.picklists if record_type else ():
        field = sobject.field(name)
        if field is not None and default is not None and field.name not in sent:
            row[field.name] = default
