"""Resolving a formula's field references (`Email`, `Owner:User.Email`, `Account.Industry`, `$User.Email`).

Every lookup goes through `Schema`, one small port: today the static registry answers; once the schema is a
per-org value (custom fields, Account, Contact) the org's own schema is passed in instead.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sfmock.core.formula.errors import FormulaError
from sfmock.core.schema.model import FieldDef, SObjectDef
from sfmock.core.schema.registry import registry

# Formula data types as Salesforce's editor names them in its errors ("Expected Number, received Text").
_TYPES = {"boolean": "Boolean", "double": "Number", "currency": "Number", "percent": "Number",
          "int": "Number",
          "date": "Date", "datetime": "DateTime", "picklist": "Picklist", "multipicklist": "MultiPicklist"}


class Schema(Protocol):
    def get(self, name: str) -> SObjectDef | None: ...


def _pseudo(name: str, *fields: str) -> SObjectDef:
    return SObjectDef(name, name, name, "",
                      tuple(FieldDef(f, "id" if f == "Id" else "string") for f in fields))


# Global merge fields (Help "Global Variables"). $Profile and $RecordType are read as small rows the
# evaluation context supplies; $User and $Organization are the User and Organization objects.
_PROFILE = _pseudo("Profile", "Id", "Name")
_RECORD_TYPE = _pseudo("RecordType", "Id", "Name", "DeveloperName")
GLOBALS = {"$USER": "User", "$ORGANIZATION": "Organization", "$PROFILE": "Profile",
           "$RECORDTYPE": "RecordType"}
# A polymorphic Owner is written Owner:User or Owner:Queue in formulas (the formula editor's Insert Field).
_TYPE_ALIASES = {"queue": "Group"}


def formula_type(field: FieldDef) -> str:
    return _TYPES.get(field.type, "Text")


@dataclass(frozen=True)
class FieldPath:
    """A resolved reference: start at the record (or a global), follow `hops` (reference field, target
    object), read `field`."""

    written: str
    start: str | None  # None: the record; else "$User" | "$Organization" | "$Profile" | "$RecordType"
    hops: tuple[tuple[str, str], ...]
    field: FieldDef

    @property
    def type(self) -> str:
        return formula_type(self.field)


def _object(schema: Schema, name: str) -> SObjectDef | None:
    if name == "Profile":
        return _PROFILE
    if name == "RecordType":
        return schema.get("RecordType") or _RECORD_TYPE
    return schema.get(name)


def _missing(written: str, line: int, column: int) -> FormulaError:
    return FormulaError(f"Field {written} does not exist. Check spelling.", line, column)


def resolve(written: str, root: SObjectDef, line: int, column: int, schema: Schema = registry) -> FieldPath:
    """The FieldPath `written` names from `root`; FormulaError (Salesforce's wording) if there is none."""
    parts = written.split(".")
    start: str | None = None
    current: SObjectDef | None = root
    if parts[0].startswith("$"):
        global_object = GLOBALS.get(parts[0].upper())
        if global_object is None or len(parts) < 2:
            raise _missing(written, line, column)
        start = {"User": "$User", "Organization": "$Organization", "Profile": "$Profile",
                 "RecordType": "$RecordType"}[global_object]
        current = _object(schema, global_object)
        parts = parts[1:]
    hops: list[tuple[str, str]] = []
    for part in parts[:-1]:
        name, _, wanted = part.partition(":")
        reference = current.relationship(name) if current else None
        if reference is None or reference.hidden:
            raise _missing(written, line, column)
        targets = reference.reference_to
        if wanted:
            target = _TYPE_ALIASES.get(wanted.lower(), wanted)
            target = next((t for t in targets if t.lower() == target.lower()), "")
        else:
            target = targets[0] if len(targets) == 1 else ""
        current = _object(schema, target) if target else None
        if current is None:
            raise _missing(written, line, column)
        hops.append((reference.name, current.name))
    found = current.field(parts[-1]) if current and ":" not in parts[-1] else None
    if found is None or found.hidden:
        raise _missing(written, line, column)
    return FieldPath(written, start, tuple(hops), found)
