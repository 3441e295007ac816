"""From the schema files of an org (app/orgs/objects.py) to the spec its schema is built from
(app/core/schema/org_schema.py): global value sets resolved, slots allocated, record types checked."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from sfmock.core import ids
from sfmock.core.schema import SchemaRegistry
from sfmock.core.schema.org_schema import build, field_spec
from sfmock.core.schema.slots import SlotsExhausted, allocate
from sfmock.orgs.bundle import OrgDefinitionError, error_at
from sfmock.orgs.fields_xml import CustomFieldDef
from sfmock.orgs.objects import STANDARD_VALUE_SETS, SchemaFiles


def resolved_fields(files: SchemaFiles) -> list[CustomFieldDef]:
    out: list[CustomFieldDef] = []
    seen: dict[str, CustomFieldDef] = {}
    for f in files.fields:
        key = f"{f.object}.{f.field.name}".lower()
        if key in seen:
            first = seen[key].source
            raise error_at(f.source, f"custom field {f.object}.{f.field.name} is defined twice, also in "
                                 f"{first.file if first else '?'}")
        seen[key] = f
        if f.value_set_name is not None:
            found = files.global_value_sets.get(f.value_set_name)
            if found is None:
                raise error_at(f.source, f"custom field {f.object}.{f.field.name}: global value set "
                                     f"{f.value_set_name!r} is not defined (globalValueSets/)")
            default = found.default if found.default is not None else f.field.default
            f = dataclasses.replace(f, field=dataclasses.replace(
                f.field, picklist=found.values, default=default,
                defaulted_on_create=f.field.defaulted_on_create or default is not None))
            if f.field.default is not None and f.field.default not in found.values:
                raise error_at(f.source, f"custom field {f.object}.{f.field.name}: picklist default "
                                     f"{f.field.default!r} is not one of its values")
        out.append(f)
    return out


def _picklists(files: SchemaFiles) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for value_set in files.standard_value_sets:
        for target in STANDARD_VALUE_SETS[value_set.name]:
            sobject, name = target.split(".")
            out.setdefault(sobject, {})[name] = {"values": list(value_set.values),
                                                 "default": value_set.default}
    return out


def spec_of(files: SchemaFiles, record_type_id: Callable[[str, str], str]) -> dict[str, Any]:
    """The org's spec; `record_type_id(object, developer name)` gives a record type's id."""
    fields = resolved_fields(files)
    spec: dict[str, Any] = {"fields": {}, "picklists": _picklists(files), "record_types": {}}
    for sobject in sorted({f.object for f in fields}):
        mine = [f for f in fields if f.object == sobject]
        try:
            slots = allocate([(f.field.name, f.field.type, f.field.length) for f in mine])
        except SlotsExhausted as exc:
            raise OrgDefinitionError(f"{sobject}: {exc}", mine[-1].source.file if mine[-1].source else None) \
                from exc
        spec["fields"][sobject] = [field_spec(dataclasses.replace(f.field, storage=slots[f.field.name]))
                                   for f in mine]
    for value_set in files.standard_value_sets:
        if value_set.name == "CaseStatus":
            spec["closed"] = list(value_set.flagged)
        elif value_set.name == "LeadStatus":
            spec["converted"] = list(value_set.flagged)
    for rt in files.record_types:
        spec["record_types"].setdefault(rt.object, []).append({
            "id": record_type_id(rt.object, rt.developer_name), "developer_name": rt.developer_name,
            "name": rt.label, "active": rt.active, "default": False,
            "picklists": [[p[0], list(p[1]), p[2]] for p in rt.picklists]})
    return spec


def checked_schema(files: SchemaFiles) -> SchemaRegistry:
    """The org's schema with placeholder record type ids, its record types checked against its fields: what
    the rules engine is asked about before anything is installed."""
    counter = iter(range(1, 10_000))
    schema = build(spec_of(files, lambda _o, _n: ids.make_id("012", 0, next(counter))))
    for rt in files.record_types:
        obj = schema.get(rt.object)
        if obj is None:
            raise error_at(rt.source, f"record type {rt.object}.{rt.developer_name}: no object {rt.object}")
        for field_name, values, default in rt.picklists:
            field = obj.field(field_name.split(".")[-1])
            if field is None or field.type not in ("picklist", "multipicklist"):
                raise error_at(rt.source, f"record type {rt.object}.{rt.developer_name}: {field_name} is "
                                          f"not a picklist field of {rt.object}")
            unknown = [v for v in values if field.picklist and v not in field.picklist]
            if unknown:
                raise error_at(rt.source, f"record type {rt.object}.{rt.developer_name}: {field_name} value "
                                      f"{unknown[0]!r} is not one of the field's values")
            if default is not None and default not in values:
                raise error_at(rt.source, f"record type {rt.object}.{rt.developer_name}: picklist default "
                                      f"{default!r} is not one of its values")
    return schema
