"""describeLayout (SOAP API "describeLayout()", "DescribeLayoutResult"): minimal but well formed.

sfmock keeps no page layouts, so every layoutable object has one layout, the same for every record type: one
"Information" section, two columns, the object's createable or updateable fields in their describe order, as
detail and edit sections. The record type mappings are Salesforce's: every record type of the object ("All
record types are returned, not just those record types available to the calling user"), then Master, each
mapped to that layout with the picklist values the record type allows. With recordTypeIds, one layout per id
asked; "If you supply a null value for recordTypeIds, all the layouts for that user are returned".
"""
from __future__ import annotations

from typing import Any

from sfmock.core import ids
from sfmock.core.errors import CallError
from sfmock.core.schema import SObjectDef
from sfmock.core.schema.describe import MASTER_RECORD_TYPE, record_type_infos
from sfmock.soap import describe as describing
from sfmock.soap.context import SoapContext

LAYOUT_PREFIX = "00h"  # Layout ids (the REST guide's example: "id" : "00ho000000CUJWIAA5")
COLUMNS = 2
# Fields a page layout never shows (system audit fields are read-only on the detail page only).
_EDIT_HIDDEN = frozenset({"Id", "IsDeleted", "SystemModstamp", "LastViewedDate", "LastReferencedDate"})


def _layout_id(obj: SObjectDef, org_id: str) -> str:
    """One stable id per org and object: the object's key prefix, read as a number, keeps them apart."""
    return ids.make_id(LAYOUT_PREFIX, ids.org_number(org_id), int.from_bytes(obj.key_prefix.encode(), "big"))


def _item(field: Any, *, edit: bool) -> dict[str, Any]:
    return {"editableForNew": edit and field.createable, "editableForUpdate": edit and field.updateable,
            "label": field.label or field.name, "placeholder": False,
            "required": edit and field.createable and not field.nillable and not field.defaulted_on_create,
            "layoutComponents": [{"displayLines": 1, "tabOrder": 0, "type": "Field", "value": field.name}]}


def _section(obj: SObjectDef, layout_id: str, *, edit: bool) -> dict[str, Any]:
    fields = [f for f in obj.api_fields() if f.name not in _EDIT_HIDDEN and (not edit or f.createable
                                                                               or f.updateable)]
    items = [_item(f, edit=edit) for f in fields]
    rows = [items[i:i + COLUMNS] for i in range(0, len(items), COLUMNS)]
    return {"collapsed": False, "columns": COLUMNS, "heading": "Information", "layoutSectionId": None,
            "parentLayoutId": layout_id, "rows": len(rows), "tabOrder": "TopToBottom",
            "useCollapsibleSection": False, "useHeading": False,
            "layoutRows": [{"layoutItems": row, "numItems": len(row)} for row in rows]}


def _layout(obj: SObjectDef, layout_id: str) -> dict[str, Any]:
    return {"detailLayoutSections": [_section(obj, layout_id, edit=False)],
            "editLayoutSections": [_section(obj, layout_id, edit=True)], "id": layout_id}


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


def _mappings(obj: SObjectDef, layout_id: str) -> list[dict[str, Any]]:
    kinds = {r.id: r for r in obj.record_types}
    return [info | {"layoutId": layout_id,
                    "picklistsForRecordType": _picklists(obj, kinds.get(info["recordTypeId"]))}
            for info in record_type_infos(obj)]


def describe_layout(ctx: SoapContext, sobject: str | None, layout_name: str | None,
                    record_type_ids: list[str] | None) -> dict[str, Any]:
    with ctx.call((sobject or "").strip() or None) as call:
        obj = describing.find(sobject, call.store.schema)
        ctx.note(call, obj.name)
        org_id = call.org.org_id
    if not obj.createable:
        # [UNCONFIRMED] code and text: describe says layoutable=false for these objects.
        raise CallError("INVALID_TYPE", f"sObject type '{obj.name}' does not support layouts")
    if layout_name:
        # Named layouts are Salesforce's own (UserAlt on User); sfmock's objects have none (namedLayoutInfos
        # is empty). [UNCONFIRMED] code and text.
        raise CallError("INVALID_TYPE", f"Invalid layout name {layout_name} for {obj.name}")
    layout_id = _layout_id(obj, org_id)
    mappings = _mappings(obj, layout_id)
    known = {m["recordTypeId"] for m in mappings}
    asked = []
    for raw in record_type_ids or ():
        found = ids.canonical(raw or "")
        if found is None:
            raise CallError("MALFORMED_ID", f"Invalid id: {raw}")  # as every malformed id in the Partner API
        if found not in known:
            # [UNCONFIRMED] text; InvalidIdFault is the WSDL's fault for a bad id.
            raise CallError("INVALID_ID_FIELD", f"Invalid record type id {raw} for {obj.name}")
        asked.append(found)
    selectable = [r for r in obj.record_types if r.active]
    return {"layouts": [_layout(obj, layout_id) for _ in asked or [MASTER_RECORD_TYPE]],
            "recordTypeMappings": mappings, "recordTypeSelectorRequired": len(selectable) > 1}
