"""Parent-to-child relationships for SOQL subqueries (Case.ParentId -> "Cases", Account.Contacts): the org
schema's child relationships (sfmock.core.relationships), with the child object and its reference field."""

from __future__ import annotations

from sfmock.core import relationships
from sfmock.core.schema import FieldDef, SchemaRegistry, SObjectDef, registry


def child_relationship(parent: SObjectDef, name: str,
                       schema: SchemaRegistry = registry) -> tuple[str, SObjectDef, FieldDef] | None:
    """(canonical relationship name, child object, its reference field) for `parent.<name>`, else None."""
    found = relationships.child_relationship(parent, name, schema)
    child = schema.get(found.child) if found is not None else None
    field = child.field(found.field) if child is not None and found is not None else None
    if found is None or child is None or field is None:
        return None
    return found.name, child, field
