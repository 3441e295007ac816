"""What describe says that depends on the org's settings rather than its schema: the Lead Status picklist's
default (the org's Lead Settings default status, Salesforce Help "Lead Settings")."""
from __future__ import annotations

from typing import Any

from sfmock.core.schema import SObjectDef


def apply_org(body: dict[str, Any], obj: SObjectDef, org: Any) -> dict[str, Any]:
    """`body` (a DescribeSObjectResult as a dict) with the org's facts filled in; returned for chaining."""
    default_status = getattr(org, "lead_default_status", None) if obj.name == "Lead" else None
    for field in body.get("fields", []):
        values = field.get("picklistValues") or []
        # A LeadStatus value set that names its own default (the org's metadata) already says it.
        if field.get("name") == "Status" and default_status and not any(e.get("defaultValue")
                                                                        for e in values):
            for entry in values:
                entry["defaultValue"] = entry["value"] == default_status
    return body
