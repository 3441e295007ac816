"""What an sObject and its fields are: the shapes describe returns and validation checks."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sfmock.core import ids

# Field types this mock knows (DescribeSObjectResult `type`) and their SOAP xsd type (`soapType`).
SOAP_TYPES = {
    "id": "tns:ID",
    "reference": "tns:ID",
    "string": "xsd:string",
    "textarea": "xsd:string",
    "email": "xsd:string",
    "phone": "xsd:string",
    "url": "xsd:string",
    "picklist": "xsd:string",
    "multipicklist": "xsd:string",
    "boolean": "xsd:boolean",
    "double": "xsd:double",
    "currency": "xsd:double",
    "percent": "xsd:double",
    "int": "xsd:int",
    "date": "xsd:date",
    "datetime": "xsd:dateTime",
}
# The objects that have assignment rules (Salesforce Help, "Set Up Assignment Rules").
ASSIGNABLE = frozenset({"Lead", "Case"})
TEXT_TYPES = frozenset({"id", "reference", "string", "textarea", "email", "phone", "url", "picklist",
                        "multipicklist"})
NUMBER_TYPES = frozenset({"double", "currency", "percent", "int"})


@dataclass(frozen=True)
class FieldDef:
    name: str
    type: str
    label: str = ""
    length: int = 0
    precision: int = 0
    scale: int = 0
    nillable: bool = True
    createable: bool = True
    updateable: bool = True
    # A literal default applied on create when the field is absent (None: no default).
    default: Any = None
    defaulted_on_create: bool = False
    picklist: tuple[str, ...] = ()
    restricted_picklist: bool = False
    reference_to: tuple[str, ...] = ()
    relationship_name: str | None = None
    external_id: bool = False
    unique: bool = False
    id_lookup: bool = False
    name_field: bool = False
    auto_number: bool = False
    calculated: bool = False
    # Kept in storage but never shown on the API (password hashes and the like).
    hidden: bool = False
    # Defined by the org's metadata (CustomField), not by Salesforce.
    custom: bool = False
    # A custom field's own id (CustomField, key prefix 00N; 18 chars): what Salesforce's generated Web-to-Lead
    # and Web-to-Case forms post its value under (app/core/schema/field_ids.py).
    field_id: str = ""
    case_sensitive: bool = False
    # The ChildRelationship name other objects see for this reference (Contact.AccountId -> "Contacts").
    child_relationship: str | None = None
    # The storage column when it is not the field's name: a custom field lives in one of its object's typed
    # slot columns (app/core/schema/slots.py), assigned per org.
    storage: str = ""

    @property
    def column(self) -> str:
        return self.storage or self.name

    @property
    def soap_type(self) -> str:
        return SOAP_TYPES[self.type]

    @property
    def is_text(self) -> bool:
        return self.type in TEXT_TYPES

    @property
    def is_number(self) -> bool:
        return self.type in NUMBER_TYPES


@dataclass(frozen=True)
class RecordTypeDef:
    """A record type of an org (RecordType row 012...), with the picklist values it allows per field."""

    id: str
    developer_name: str
    name: str
    active: bool = True
    default: bool = False
    # field API name -> (allowed values, default value or None)
    picklists: tuple[tuple[str, tuple[str, ...], str | None], ...] = ()

    def values_for(self, field: str) -> tuple[tuple[str, ...], str | None] | None:
        low = field.lower()
        return next(((values, default) for name, values, default in self.picklists if name.lower() == low),
                    None)


@dataclass(frozen=True)
class SObjectDef:
    name: str
    label: str
    label_plural: str
    key_prefix: str
    fields: tuple[FieldDef, ...]
    createable: bool = True
    updateable: bool = True
    deletable: bool = True
    queryable: bool = True
    # Storage table name, e.g. "sobj_lead".
    table: str = ""
    # The org's record types of this object (none: only Master).
    record_types: tuple[RecordTypeDef, ...] = ()
    _by_lower: dict[str, FieldDef] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_lower.update({f.name.lower(): f for f in self.fields})

    def record_type(self, record_type_id: str) -> RecordTypeDef | None:
        return next((r for r in self.record_types if r.id == record_type_id), None)

    def field(self, name: str) -> FieldDef | None:
        """The field by API name, matched case-insensitively as Salesforce does."""
        return self._by_lower.get(name.lower())

    def field_by_id(self, field_id: str) -> FieldDef | None:
        """The custom field whose 00N id this is, given in its 15- or 18-char form."""
        wanted = ids.canonical(field_id)
        return next((f for f in self.fields if wanted and f.field_id == wanted), None)

    def api_fields(self) -> tuple[FieldDef, ...]:
        return tuple(f for f in self.fields if not f.hidden)

    def relationship(self, name: str) -> FieldDef | None:
        """The reference field whose relationship name is `name` (Owner -> OwnerId), case-insensitively."""
        low = name.lower()
        for f in self.fields:
            if f.relationship_name and f.relationship_name.lower() == low:
                return f
        return None
