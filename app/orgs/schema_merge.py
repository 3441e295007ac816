"""A deploy's schema files (custom fields, record types, standard value sets) laid over an installed org's
spec.

Fields the org already has keep their slot column (the rows already stored there stay readable); a new
field takes the first free slot of its storage kind (app/core/schema/slots.py), so a deploy never moves
data.
"""
from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

from sfmock.core.schema.org_schema import field_spec
from sfmock.core.schema.slots import SLOTS, column_name, kind_of
from sfmock.orgs.bundle import error_at
from sfmock.orgs.objects import STANDARD_VALUE_SETS, SchemaFiles
from sfmock.orgs.schema_spec import resolved_fields


def _slot_kind(spec: dict[str, Any]) -> str:
    return kind_of(spec["type"], spec.get("length", 0))


def merged_spec(spec: dict[str, Any] | None, files: SchemaFiles,
                record_type_id: Callable[[str, str], str]) -> dict[str, Any]:
    """The org's spec with the deployed definitions in place (an OrgDefinitionError when one cannot be);
    `record_type_id(object, developer name)` gives a new record type its id."""
    out: dict[str, Any] = json.loads(json.dumps(spec or {}))
    for key in ("fields", "picklists", "record_types"):
        out.setdefault(key, {})
    for deployed in resolved_fields(files):
        fields = out["fields"].setdefault(deployed.object, [])
        existing = next((f for f in fields if f["name"].lower() == deployed.field.name.lower()), None)
        kind = kind_of(deployed.field.type, deployed.field.length)
        if existing is not None and _slot_kind(existing) == kind:
            slot = existing["storage"]
        else:
            # A deleted field keeps its slot and its values (app/orgs/schema_delete.py).
            deleted = out.get("deleted_fields", {}).get(deployed.object, [])
            used = {f["storage"] for f in fields if f is not existing} | {f["storage"] for f in deleted}
            columns = [column_name(kind, n) for n in range(1, SLOTS[kind] + 1)]
            free = [c for c in columns if c not in used]
            if not free:
                raise error_at(deployed.source, f"{deployed.field.name}: sfmock holds at most {SLOTS[kind]} "
                                                f"custom fields of storage kind {kind!r} per object")
            slot = free[0]
        data = field_spec(dataclasses.replace(deployed.field, storage=slot))
        if existing is not None:
            fields[fields.index(existing)] = data
        else:
            fields.append(data)
    for value_set in files.standard_value_sets:
        for target in STANDARD_VALUE_SETS[value_set.name]:
            sobject, name = target.split(".")
            out["picklists"].setdefault(sobject, {})[name] = {"values": list(value_set.values),
                                                              "default": value_set.default}
        if value_set.name in ("CaseStatus", "LeadStatus"):
            out["closed" if value_set.name == "CaseStatus" else "converted"] = list(value_set.flagged)
    for rt in files.record_types:
        types = out["record_types"].setdefault(rt.object, [])
        existing = next((t for t in types if t["developer_name"] == rt.developer_name), None)
        data = {"id": existing["id"] if existing else record_type_id(rt.object, rt.developer_name),
                "developer_name": rt.developer_name, "name": rt.label, "active": rt.active,
                "default": existing.get("default", False) if existing else False,
                "picklists": [[p[0], list(p[1]), p[2]] for p in rt.picklists]}
        if existing is not None:
            types[types.index(existing)] = data
        else:
            types.append(data)
    return out
