"""Loads sobjects.toml into SObjectDefs and finds them by name (case-insensitive) or key prefix."""
from __future__ import annotations

import tomllib
from dataclasses import fields as dataclass_fields
from importlib import resources
from typing import Any

from sfmock.core.schema.model import FieldDef, SObjectDef

_FIELD_KEYS = {f.name for f in dataclass_fields(FieldDef)}
# The built-in value sets' flagged values (sobjects.toml's Case.Status and Lead.Status picklists).
CLOSED = ("Closed",)
CONVERTED = ("Closed - Converted",)
_OBJECT_KEYS = {"label", "label_plural", "key_prefix", "createable", "updateable", "deletable", "queryable"}


def _field(spec: dict[str, Any]) -> FieldDef:
    unknown = set(spec) - _FIELD_KEYS
    if unknown:
        raise ValueError(f"unknown field keys in sobjects.toml: {sorted(unknown)}")
    spec = dict(spec)
    for key in ("picklist", "reference_to"):
        if key in spec:
            spec[key] = tuple(spec[key])
    spec.setdefault("label", spec["name"])
    return FieldDef(**spec)


def field_from_spec(spec: dict[str, Any]) -> FieldDef:
    """A FieldDef from its plain form (sobjects.toml entries, an org's stored custom fields)."""
    return _field(spec)


class SchemaRegistry:
    """One schema: the standard objects (`registry`, from sobjects.toml) or an org's own, which is the
    standard one extended by its metadata (app/core/schema/org_schema.py)."""

    def __init__(self, objects: dict[str, SObjectDef], *, closed: tuple[str, ...] = CLOSED,
                 converted: tuple[str, ...] = CONVERTED) -> None:
        self._objects = {name.lower(): obj for name, obj in objects.items()}
        self._prefixes = {obj.key_prefix: obj for obj in self._objects.values()}
        # Case statuses flagged closed (IsClosed) and Lead statuses flagged converted, from the CaseStatus and
        # LeadStatus standard value sets (Metadata API StandardValue `closed`, `converted`).
        self.closed = closed
        self.converted = converted

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> SchemaRegistry:
        system = tuple(_field(f) for f in data["_system"]["fields"])
        objects: dict[str, SObjectDef] = {}
        for name, spec in data.items():
            if name.startswith("_"):
                continue
            own = tuple(_field(f) for f in spec["fields"])
            attrs = {k: v for k, v in spec.items() if k in _OBJECT_KEYS}
            objects[name] = SObjectDef(name=name, fields=system[:1] + own + system[1:],
                                       table=f"sobj_{name.lower()}", **attrs)
        return cls(objects)

    @classmethod
    def load(cls) -> SchemaRegistry:
        text = resources.files("sfmock.core.schema").joinpath("sobjects.toml").read_text(encoding="utf-8")
        return cls.from_data(tomllib.loads(text))

    def replaced(self, objects: list[SObjectDef], *, closed: tuple[str, ...] | None = None,
                 converted: tuple[str, ...] | None = None) -> SchemaRegistry:
        """A copy with these objects in place of the ones of the same name (and, when given, other flags)."""
        return SchemaRegistry({o.name: o for o in self._objects.values()} | {o.name: o for o in objects},
                              closed=self.closed if closed is None else closed,
                              converted=self.converted if converted is None else converted)

    def get(self, name: str) -> SObjectDef | None:
        return self._objects.get(name.lower())

    def require(self, name: str) -> SObjectDef:
        """An object the caller knows the schema has (a standard one every schema has, or one that a
        relationship of the schema names): LookupError otherwise, a broken schema."""
        found = self.get(name)
        if found is None:
            raise LookupError(f"the schema has no {name}")
        return found

    def by_prefix(self, prefix: str) -> SObjectDef | None:
        return self._prefixes.get(prefix)

    def all(self) -> list[SObjectDef]:
        return list(self._objects.values())


registry = SchemaRegistry.load()
