"""Parent-to-child relationships for SOQL subqueries, found from the schema: every reference field of another
object that points at the parent, named by its child relationship name (Case.ParentId -> "Cases").

The registry does not carry child relationship names yet (issue 8 adds them with Account and Contact); a field
that declares `child_relationship_name` wins, else Salesforce's standard names below (Object Reference:
Case "Cases" via ParentId, Group "GroupMembers" via GroupMember.GroupId, "QueueSobjects" via
QueueSobject.QueueId, Account "Contacts" / "Cases" / "Opportunities", Contact "Cases")."""

from __future__ import annotations

from app.core.schema import FieldDef, SObjectDef, registry

_STANDARD = {
    ("Case", "ParentId"): "Cases",
    ("Case", "AccountId"): "Cases",
    ("Case", "ContactId"): "Cases",
    ("Contact", "AccountId"): "Contacts",
    ("Opportunity", "AccountId"): "Opportunities",
    ("GroupMember", "GroupId"): "GroupMembers",
    ("QueueSobject", "QueueId"): "QueueSobjects",
}


def relationship_name(child: SObjectDef, field: FieldDef) -> str | None:
    return getattr(field, "child_relationship_name", None) or _STANDARD.get((child.name, field.name))


def child_relationship(parent: SObjectDef, name: str) -> tuple[str, SObjectDef, FieldDef] | None:
    """(canonical relationship name, child object, its reference field) for `parent.<name>`, else None."""
    low = name.lower()
    for child in registry.all():
        for field in child.api_fields():
            if parent.name in field.reference_to:
                found = relationship_name(child, field)
                if found is not None and found.lower() == low:
                    return found, child, field
    return None
