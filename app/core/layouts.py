"""Page layouts as describeLayout reports them (SOAP API "describeLayout()", "DescribeLayoutResult"; REST
"Describe Layouts"): minimal but well formed, the same for both doors.

sfmock keeps no page layouts, so every layoutable object has one layout, the same for every record type: one
"Information" section, two columns, the object's fields in their describe order, as detail and edit
sections. The record type mappings are Salesforce's: every record type of the object ("All record types are
returned, not just those record types available to the calling user"), then Master, each mapped to that
layout with the picklist values the record type allows. With record type ids, one layout per id asked; "If
you supply a null value for recordTypeIds, all the layouts for that user are returned".
"""
from __future__ import annotations

from typing import Any

from sfmock.core import ids
from sfmock.core.errors import CallError
from sfmock.core.schema import SObjectDef
from sfmock.core.schema.describe import MASTER_RECORD_TYPE, record_type_infos

LAYOUT_PREFIX = "00h"  # Layout ids (the REST guide's example: "id" : "00ho000000CUJWIAA5")
COLUMNS = 2
# Fields no page layout shows.
_HIDDEN = frozenset({"Id", "IsDeleted", "SystemModstamp", "LastViewedDate", "LastReferencedDate"})


def layout_id(obj: SObjectDef, org_id: str) -> str:
    """One stable id per org and object: the object's key prefix, read as a number, keeps them apart."""
    return ids.make_id(LAYOUT_PREFIX, ids.org_number(org_id), int.from_bytes(obj.key_prefix.encode(), "big"))


def _item(field: Any, *, edit: bool) -> dict[str, Any]:
    return {"editableForNew": edit and field.createable, "editableForUpdate": edit and field.updateable,
            "label": field.label or field.name, "placeholder": False,
            "required": edit and field.createable and not field.nillable and not field.defaulted_on_create,
            "layoutComponents": [{"displayLines": 1, "tabOrder": 0, "type": "Field", "value": field.name}]}


def _section(obj: SObjectDef, parent_id: str, *, edit: bool) -> dict[str, Any]:
    fields = [f for f in obj.api_fields()
              if f.name not in _HIDDEN and (not edit or f.createable or f.updateable)]
    items = [_item(f, edit=edit) for f in fields]
    rows = [items[i:i + COLUMNS] for i in range(0, len(items), COLUMNS)]
    return {"collapsed": False, "columns": COLUMNS, "heading": "Information", "layoutSectionId": None,
            "parentLayoutId": parent_id, "rows": len(rows), "tabOrder": "TopToBottom",
            "useCollapsibleSection": False, "useHeading": False,
            "layoutRows": [{"layoutItems": row, "numItems": len(row)} for row in rows]}


def layout(obj: SObjectDef, the_id: str) -> dict[str, Any]:
    """The DescribeLayout: its id and its detail and edit sections (nothing else is kept)."""
    return {"detailLayoutSections": [_section(obj, the_id, edit=False)],
            "editLayoutSections": [_section(obj, the_id, edit=True)], "id": the_id}


def _picklists(obj: SObjectDef, record_type: Any) -> list[dict[str, Any]]:
    out = []
    for field in obj.api_fields():
        if not field.picklist:
            continue
        allowed = record_type.values_for(field.name) if record_type is not None else None
        values, default = allowed if allowed is not None else (field.picklist, field.default)
        out.append({"picklistName": field.name, "picklistValues": [
            {"active": True, "defaultValue": v == default, "label": v, "value": v} for v in values]})
    return out


def record_type_mappings(obj: SObjectDef, the_id: str) -> list[dict[str, Any]]:
    kinds = {r.id: r for r in obj.record_types}
    return [info | {"layoutId": the_id,
                    "picklistsForRecordType": _picklists(obj, kinds.get(info["recordTypeId"]))}
            for info in record_type_infos(obj)]


def asked_record_types(obj: SObjectDef, record_type_ids: list[str]) -> list[str]:
    """The record type ids asked for, 18 characters; MALFORMED_ID or INVALID_ID_FIELD for a bad one."""
    known = {MASTER_RECORD_TYPE} | {r.id for r in obj.record_types}
    asked = []
    for raw in record_type_ids:
        found = ids.canonical(raw or "")
        if found is None:
            raise CallError("MALFORMED_ID", f"Invalid id: {raw}")  # as every malformed id
        if found not in known:
            # [UNCONFIRMED] code and text (SOAP: InvalidIdFault, the WSDL's fault for a bad id).
            raise CallError("INVALID_ID_FIELD", f"Invalid record type id {raw} for {obj.name}")
        asked.append(found)
    return asked


def describe_layout(obj: SObjectDef, org_id: str, record_type_ids: list[str] | None) -> dict[str, Any]:
    """DescribeLayoutResult: one layout per record type asked (or the one layout), every mapping, and whether
    a user must pick a record type (more than one active) [inf]."""
    the_id = layout_id(obj, org_id)
    asked = asked_record_types(obj, record_type_ids or [])
    return {"layouts": [layout(obj, the_id) for _ in asked or [MASTER_RECORD_TYPE]],
            "recordTypeMappings": record_type_mappings(obj, the_id),
            "recordTypeSelectorRequired": sum(1 for r in obj.record_types if r.active) > 1}
