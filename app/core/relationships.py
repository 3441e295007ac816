"""Child relationships (Account.Contacts, Case.Cases): what describe's `childRelationships` lists and what a
composite tree's nested `{"records": [...]}` names.

Salesforce names a standard child relationship after the child's plural label (Contacts, Cases,
Opportunities). The schema carries only the child's lookup field, so the name is derived from it [inf]: one
relationship per child lookup to the parent, the audit and owner lookups left out (they are not relationships a
client nests records under).
"""
from __future__ import annotations

from dataclasses import dataclass

from app.core.schema import SObjectDef, registry

_NOT_NESTED = frozenset({"CreatedById", "LastModifiedById", "OwnerId"})


@dataclass(frozen=True)
class ChildRelationship:
    child: str  # the child sObject
    field: str  # its lookup to the parent
    name: str  # the relationship name on the parent


def child_relationships(parent: SObjectDef) -> list[ChildRelationship]:
    out: list[ChildRelationship] = []
    for child in registry.all():
        lookups = [f for f in child.fields if f.type == "reference" and parent.name in f.reference_to
                   and f.name not in _NOT_NESTED]
        if len(lookups) == 1:
            out.append(ChildRelationship(child.name, lookups[0].name, child.label_plural.replace(" ", "")))
    return out


def child_relationship(parent: SObjectDef, name: str) -> ChildRelationship | None:
    return next((r for r in child_relationships(parent) if r.name.lower() == name.lower()), None)
