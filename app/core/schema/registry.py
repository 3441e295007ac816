"""Loads sobjects.toml into SObjectDefs and finds them by name (case-insensitive) or key prefix."""
from __future__ import annotations

import tomllib
from dataclasses import fields as dataclass_fields
from importlib import resources

from app.core.schema.model import FieldDef, SObjectDef

_FIELD_KEYS = {f.name for f in dataclass_fields(FieldDef)}
_OBJECT_KEYS = {"label", "label_plural", "key_prefix", "createable", "updateable", "deletable", "queryable"}


def _field(spec: dict) -> FieldDef:
    unknown = set(spec) - _FIELD_KEYS
    if unknown:
        raise ValueError(f"unknown field keys in sobjects.toml: {sorted(unknown)}")
    spec = dict(spec)
    for key in ("picklist", "reference_to"):
        if key in spec:
            spec[key] = tuple(spec[key])
    spec.setdefault("label", spec["name"])
    return FieldDef(**spec)


class SchemaRegistry:
    def __init__(self, data: dict) -> None:
        system = tuple(_field(f) for f in data["_system"]["fields"])
        self._objects: dict[str, SObjectDef] = {}
        for name, spec in data.items():
            if name.startswith("_"):
                continue
            own = tuple(_field(f) for f in spec["fields"])
            attrs = {k: v for k, v in spec.items() if k in _OBJECT_KEYS}
            obj = SObjectDef(name=name, fields=system[:1] + own + system[1:], table=f"sobj_{name.lower()}", **attrs)
            self._objects[name.lower()] = obj

    @classmethod
    def load(cls) -> SchemaRegistry:
        text = resources.files("app.core.schema").joinpath("sobjects.toml").read_text(encoding="utf-8")
        return cls(tomllib.loads(text))

    def get(self, name: str) -> SObjectDef | None:
        return self._objects.get(name.lower())

    def by_prefix(self, prefix: str) -> SObjectDef | None:
        for obj in self._objects.values():
            if obj.key_prefix == prefix:
                return obj
        return None

    def all(self) -> list[SObjectDef]:
        return list(self._objects.values())


registry = SchemaRegistry.load()
