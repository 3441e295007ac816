"""The sObject schema registry: objects and fields as data (sobjects.toml), driving validation, storage,
describe and SOQL."""
from sfmock.core.schema.model import FieldDef, SObjectDef
from sfmock.core.schema.registry import SchemaRegistry, registry

__all__ = ["FieldDef", "SObjectDef", "SchemaRegistry", "registry"]
