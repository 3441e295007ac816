"""Where custom field values live: typed "flex" slot columns on each object's table, mapped per org.

Salesforce's own multitenant design (the "Force.com Multitenant Architecture" white paper: generic typed
value columns, per-org metadata mapping custom fields onto them, indexes shipped with the platform) is the
one used here. Each object that can carry custom fields has SLOTS[kind] columns of each storage kind, named
`cf_<kind>_<n>`; the migration adds them with a partial index (org_id, column) WHERE column IS NOT NULL, so a
SOQL filter on a custom field is one indexed lookup and the empty slots of other orgs cost nothing.
"""
from __future__ import annotations

# Objects whose metadata may add custom fields (issue scope: Lead, Case, Account, Contact).
CUSTOMIZABLE = ("Lead", "Case", "Account", "Contact")

# kind -> number of slot columns per object. "string" holds short text (<= 255, indexed), "text" long text
# (not filterable in SOQL, so not indexed), "number" every numeric type (Salesforce reports them as double).
SLOTS: dict[str, int] = {"string": 40, "text": 10, "number": 20, "boolean": 10, "date": 6, "datetime": 6}
INDEXED = ("string", "number", "boolean", "date", "datetime")
STRING_SLOT_LENGTH = 255


def kind_of(field_type: str, length: int) -> str:
    """The storage kind of a field type (describe types of app/core/schema/model.py)."""
    if field_type in ("double", "currency", "percent", "int"):
        return "number"
    if field_type in ("boolean", "date", "datetime"):
        return field_type
    if field_type == "multipicklist" or (field_type == "textarea" and length > STRING_SLOT_LENGTH):
        return "text"
    return "string"


def column_name(kind: str, number: int) -> str:
    return f"cf_{kind}_{number:02d}"


def all_columns() -> list[tuple[str, str]]:
    """(column, kind) of every slot of one object, in a fixed order."""
    return [(column_name(kind, n), kind) for kind, count in SLOTS.items() for n in range(1, count + 1)]


class SlotsExhausted(ValueError):
    """More custom fields of one storage kind than an object has slots for."""


def allocate(fields: list[tuple[str, str, int]]) -> dict[str, str]:
    """Slot columns for one object's custom fields, given (name, type, length) in definition order."""
    used: dict[str, int] = dict.fromkeys(SLOTS, 0)
    out: dict[str, str] = {}
    for name, field_type, length in fields:
        kind = kind_of(field_type, length)
        used[kind] += 1
        if used[kind] > SLOTS[kind]:
            raise SlotsExhausted(f"{name}: sfmock holds at most {SLOTS[kind]} custom fields of storage kind "
                                 f"{kind!r} per object")
        out[name] = column_name(kind, used[kind])
    return out
