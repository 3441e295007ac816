"""The sObject schema registry: objects and fields as data (sobjects.toml), driving validation, storage,
describe and SOQL."""
from app.core.schema.model import FieldDef, SObjectDef
from app.core.schema.registry import SchemaRegistry, registry

__all__ = ["FieldDef", "SObjectDef", "SchemaRegistry", "registry"]
