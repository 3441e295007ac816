"""Salesforce's checks on the fields a caller sends: known, writable, of the right type, required present."""
from __future__ import annotations

from typing import Any

from app.core.errors import RecordError, required_missing
from app.core.schema import SObjectDef
from app.core.values import coerce


class UnknownField(RecordError):
    """A field the object does not have. REST reports it per record with this text; SOAP refuses the whole call
    with an INVALID_FIELD fault (the Partner API reads the sObject before any record is saved)."""

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
            f"Unable to {verb}/update fields: {', '.join(not_writable)}. Please check the security settings of "
            "this field and verify that it is read/write for your profile or permission set.",
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
