"""An org's own schema: the standard objects extended by what its metadata adds (custom fields, value sets,
record types), built from a plain JSON-able spec that the org stores and loads with itself.

Spec (every key optional):
    {"fields": {"Lead": [<FieldDef as a dict, with its storage slot>, ...]},
     "picklists": {"Lead": {"LeadSource": {"values": [...], "default": "Web" | null}}},
     "closed": [...CaseStatus values flagged closed], "converted": [...LeadStatus values flagged converted],
     "record_types": {"Lead": [{"id", "developer_name", "name", "active", "default",
                               "picklists": [[field, [values], default | null], ...]}]}}
"""
from __future__ import annotations

import dataclasses
from typing import Any

from sfmock.core.schema.field_ids import assign as field_ids_of
from sfmock.core.schema.model import FieldDef, RecordTypeDef, SObjectDef
from sfmock.core.schema.registry import SchemaRegistry, field_from_spec, registry

# Objects that carry RecordTypeId once the org defines a record type for them (Object Reference: objects
# without record types lack the field, and writing it is INVALID_FIELD).
_RECORD_TYPE_FIELD = "RecordTypeId"


def field_spec(field: FieldDef) -> dict[str, Any]:
    """A FieldDef as plain JSON-able data (the inverse of field_from_spec)."""
    data = dataclasses.asdict(field)
    return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()
            if v != getattr(_DEFAULTS, k)} | {"name": field.name, "type": field.type}


_DEFAULTS = FieldDef(name="", type="string")


def build(spec: dict[str, Any] | None, base: SchemaRegistry = registry, *, org_id: str | None = None
          ) -> SchemaRegistry:
    """The org's schema. Objects without record types of the org have no RecordTypeId. Each custom field gets
    its 00N id, derived from `org_id` and its name (app/core/schema/field_ids.py)."""
    spec = spec or {}
    field_ids = field_ids_of(org_id, [(obj, f["name"]) for obj, specs in spec.get("fields", {}).items()
                                      for f in specs])
    changed: list[SObjectDef] = []
    names = set(spec.get("fields", {})) | set(spec.get("picklists", {})) | set(spec.get("record_types", {}))
    names |= {o.name for o in base.all() if o.field(_RECORD_TYPE_FIELD) is not None}
    for name in sorted(names):
        obj = base.get(name)
        if obj is None:
            continue
        fields = [_standard(f, spec.get("picklists", {}).get(obj.name, {})) for f in obj.fields]
        types = tuple(RecordTypeDef(
            id=r["id"], developer_name=r["developer_name"], name=r["name"], active=r.get("active", True),
            default=r.get("default", False),
            picklists=tuple((p[0], tuple(p[1]), p[2]) for p in r.get("picklists", ())))
            for r in spec.get("record_types", {}).get(obj.name, ()))
        if not types:
            fields = [f for f in fields if f.name != _RECORD_TYPE_FIELD]
        fields += [dataclasses.replace(field_from_spec(f), field_id=field_ids[(obj.name, f["name"])])
                   for f in spec.get("fields", {}).get(obj.name, ())]
        changed.append(dataclasses.replace(obj, fields=tuple(fields), record_types=types, _by_lower={}))
    closed, converted = spec.get("closed"), spec.get("converted")
    return base.replaced(changed, closed=tuple(closed) if closed is not None else None,
                         converted=tuple(converted) if converted is not None else None)


def _standard(field: FieldDef, override: dict[str, Any]) -> FieldDef:
    """A standard picklist with the org's standard value set in place of the built-in values."""
    found = next((v for k, v in override.items() if k.lower() == field.name.lower()), None)
    if found is None:
        return field
    default = found.get("default")
    return dataclasses.replace(field, picklist=tuple(found["values"]),
                               default=default if default is not None else field.default)
