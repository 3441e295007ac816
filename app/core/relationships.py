"""Child relationships (Account.Contacts, Case.Cases): what a composite tree's nested `{"records": [...]}`
names, what merge re-parents and what describe's `childRelationships` lists.

The schema declares each child lookup's relationship name on the child's field (`child_relationship`:
Salesforce names a standard one after the child's plural label, a custom lookup's after its relationshipName
plus "__r"). The audit and owner lookups are left out: they are not relationships a client nests records
under.
"""
from __future__ import annotations

from dataclasses import dataclass

from sfmock.core.schema import SchemaRegistry, SObjectDef, registry

_NOT_NESTED = frozenset({"CreatedById", "LastModifiedById", "OwnerId"})


@dataclass(frozen=True)
class ChildRelationship:
    child: str  # the child sObject
    field: str  # its lookup to the parent
    name: str  # the relationship name on the parent


def child_relationships(parent: SObjectDef, schema: SchemaRegistry = registry) -> list[ChildRelationship]:
    return [ChildRelationship(child.name, f.name, f.child_relationship)
            for child in schema.all() for f in child.fields
            if f.type == "reference" and parent.name in f.reference_to and f.child_relationship
            and f.name not in _NOT_NESTED]


def child_relationship(parent: SObjectDef, name: str,
                       schema: SchemaRegistry = registry) -> ChildRelationship | None:
    return next((r for r in child_relationships(parent, schema) if r.name.lower() == name.lower()), None)
