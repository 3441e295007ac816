"""What describe says that depends on the org or on relationships the field list alone does not name: the Lead
Status picklist's default (the org's Lead Settings default status, Salesforce Help "Lead Settings"), and the
child relationships' names (app.core.relationships)."""
from __future__ import annotations

from typing import Any

from app.core.relationships import child_relationships
from app.core.schema import SObjectDef


def apply_org(body: dict[str, Any], obj: SObjectDef, org: Any) -> dict[str, Any]:
    """`body` (a DescribeSObjectResult as a dict) with the org's facts filled in; returned for chaining."""
    named = {(r.child, r.field): r.name for r in child_relationships(obj)}
    for child in body.get("childRelationships", []):
        child["relationshipName"] = named.get((child["childSObject"], child["field"]))
    default_status = getattr(org, "lead_default_status", None) if obj.name == "Lead" else None
    for field in body.get("fields", []):
        if field.get("name") == "Status" and default_status:
            for entry in field.get("picklistValues") or []:
                entry["defaultValue"] = entry["value"] == default_status
    return body
