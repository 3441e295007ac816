"""SOQL names against the schema registry: the queried object, fields and relationship paths, canonically."""

from __future__ import annotations

from dataclasses import dataclass

from sfmock.core.schema import FieldDef, SchemaRegistry, SObjectDef, registry
from sfmock.soql import ast
from sfmock.soql.diagnostics import (
    duplicate_field,
    malformed,
    no_such_field,
    no_such_relationship,
    no_such_type,
    query_error,
)

# A polymorphic relationship (Owner on Lead and Case: User or Group) is typed "Name" in query results, and
# only the fields of the Name object are reachable through it (Object Reference, "Name"; REST query records
# come back as {"attributes": {"type": "Name", "url": ".../sobjects/User/005..."}, ...}).
NAME_ENTITY = "Name"
_NAME_FIELDS = {
    n.lower(): n
    for n in (
        "Id",
        "Name",
        "Alias",
        "CommunityNickname",
        "Email",
        "FirstName",
        "IsActive",
        "LastName",
        "Phone",
        "ProfileId",
        "RecordTypeId",
        "Title",
        "Type",
        "Username",
        "UserRoleId",
    )
}


@dataclass(frozen=True)
class Hop:
    """One relationship step of a field path: Owner (via OwnerId) to User or Group."""

    name: str  # canonical relationship name
    field: FieldDef  # the reference field
    targets: tuple[SObjectDef, ...]

    @property
    def polymorphic(self) -> bool:
        return len(self.targets) > 1

    @property
    def record_type(self) -> str:
        return NAME_ENTITY if self.polymorphic else self.targets[0].name


@dataclass(frozen=True)
class Column:
    """A field path resolved: its hops, the field's canonical name and type, and the field per target of the
    last hop (None where that target lacks it; for Name.Type the target's own name stands in)."""

    hops: tuple[Hop, ...]
    name: str
    type: str
    sources: tuple[FieldDef | None, ...]
    written: str
    at: ast.Position

    @property
    def key(self) -> tuple[str, ...]:
        return (*tuple(h.name.lower() for h in self.hops), self.name.lower())

    @property
    def column(self) -> str:
        """The storage column of a field of one object (a custom field's slot column)."""
        source = self.sources[0]
        return source.column if source is not None else self.name

    @property
    def label(self) -> str:
        return ".".join([h.name for h in self.hops] + [self.name])

    @property
    def long_text(self) -> bool:
        # Long text areas can be neither filtered nor sorted (SOQL reference, "Field Types").
        return any(f is not None and f.type == "textarea" and f.length > 255 for f in self.sources)


class Resolver:
    def __init__(self, query: ast.Query, schema: SchemaRegistry = registry) -> None:
        self.query = query
        self.text = query.text
        # The org's own schema: its custom fields are columns like any other.
        self.schema = schema
        obj = schema.get(query.sobject)
        if obj is None or not obj.queryable:
            raise no_such_type(self.text, query.sobject_at, query.sobject)
        self.sobject = obj

    def column(self, path: ast.FieldPath) -> Column:
        parts = list(path.parts)
        # "SELECT Lead.Name FROM Lead": the object's own name may prefix a path.
        if (
            len(parts) > 1
            and parts[0].lower() == self.sobject.name.lower()
            and not self._relationship(self.sobject, parts[0])
        ):
            parts = parts[1:]
        targets: tuple[SObjectDef, ...] = (self.sobject,)
        hops: list[Hop] = []
        for name in parts[:-1]:
            ref = self._relationship(targets[0], name) if len(targets) == 1 else None
            if ref is None:
                raise no_such_relationship(self.text, path.at, name)
            found = tuple(t for t in (self.schema.get(n) for n in ref.reference_to) if t is not None)
            if not found:
                raise no_such_relationship(self.text, path.at, name)
            hops.append(Hop(ref.relationship_name or name, ref, found))
            targets = found
        last = parts[-1]
        if len(targets) > 1:
            canonical = _NAME_FIELDS.get(last.lower())
            sources = tuple(self._field(t, last) for t in targets)
            present = [f for f in sources if f is not None]
            if canonical is None or (not present and canonical != "Type"):
                raise no_such_field(self.text, path.at, last, NAME_ENTITY)
            kind = present[0].type if present else "picklist"
            return Column(tuple(hops), canonical, kind, sources, path.text, path.at)
        field = self._field(targets[0], last)
        if field is None:
            raise no_such_field(self.text, path.at, last, targets[0].name)
        return Column(tuple(hops), field.name, field.type, (field,), path.text, path.at)

    @staticmethod
    def _field(obj: SObjectDef, name: str) -> FieldDef | None:
        field = obj.field(name)
        return None if field is None or field.hidden else field

    @staticmethod
    def _relationship(obj: SObjectDef, name: str) -> FieldDef | None:
        ref = obj.relationship(name)
        return None if ref is None or ref.hidden else ref

    # --- the SELECT list -----------------------------------------------------------------------------
    def fields(self) -> list[Column]:
        """The selected fields, checked for duplicates; [] for an aggregate or COUNT() query."""
        items = self.query.select
        counts = [i for i in items if isinstance(i, ast.CountItem)]
        plain = [i for i in items if isinstance(i, ast.FieldItem)]
        for item in counts:
            if item.path is None and len(items) > 1:
                raise malformed(self.text, item.at, "COUNT() must be the only element in the SELECT list")
        if counts and plain:
            first = plain[0].path
            self.column(first)
            raise malformed(self.text, first.at, f"Field must be grouped or aggregated: {first.text}")
        columns: list[Column] = []
        seen: set[tuple[str, ...]] = set()
        for field_item in plain:
            col = self.column(field_item.path)
            if col.key in seen:
                raise duplicate_field(col.label, col.at)
            seen.add(col.key)
            columns.append(col)
        return columns

    def aggregates(self) -> list[tuple[str, Column]]:
        """COUNT(field) items with their result names: the alias, else expr0, expr1 … in order."""
        out: list[tuple[str, Column]] = []
        unnamed = 0
        for item in self.query.select:
            if isinstance(item, ast.CountItem) and item.path is not None:
                label = item.alias
                if label is None:
                    label = f"expr{unnamed}"
                    unnamed += 1
                out.append((label, self.column(item.path)))
        return out

    def is_count_rows(self) -> bool:
        return any(isinstance(i, ast.CountItem) and i.path is None for i in self.query.select)

    def filterable(self, col: Column) -> Column:
        if col.long_text:
            raise query_error(
                "INVALID_FIELD",
                self.text,
                col.at,
                f"field '{col.written}' can not be filtered in a query call",
            )
        return col

    def sortable(self, col: Column) -> Column:
        if col.long_text:
            raise query_error(
                "INVALID_FIELD", self.text, col.at, f"field '{col.written}' can not be sorted in a query call"
            )
        return col
