"""Describe facts derived from the registry, shared by both doors (names of the Partner WSDL's
DescribeGlobalSObjectResult, DescribeSObjectResult, Field, PicklistEntry, ChildRelationship). Each door adds
only what its wire format has beyond these."""
from __future__ import annotations

from typing import Any

from sfmock.core.schema.model import ASSIGNABLE, FieldDef, SObjectDef
from sfmock.core.schema.registry import SchemaRegistry

# Every object has the "Master" record type, with the same id in every org.
MASTER_RECORD_TYPE = "012000000000000AAA"
_TEXT_BYTES = 3  # byteLength = length * 3 for text fields (UTF-8 worst case), as Salesforce reports it
_NOT_FILTERABLE = frozenset({"textarea"})


def global_facts(obj: SObjectDef) -> dict[str, Any]:
    assignable = obj.name in ASSIGNABLE
    return {
        "activateable": False, "associateEntityType": None, "associateParentEntity": None,
        "createable": obj.createable, "custom": False, "customSetting": False, "deepCloneable": False,
        "deletable": obj.deletable, "deprecatedAndHidden": False, "feedEnabled": assignable,
        "hasSubtypes": False,
        "isInterface": False, "isSubtype": False, "keyPrefix": obj.key_prefix, "label": obj.label,
        "labelPlural": obj.label_plural, "layoutable": obj.createable, "mergeable": assignable,
        "mruEnabled": obj.createable, "name": obj.name, "queryable": obj.queryable,
        "replicateable": obj.queryable, "retrieveable": obj.queryable, "searchable": obj.createable,
        "triggerable": obj.createable, "undeletable": obj.deletable, "updateable": obj.updateable,
    }


def all_objects(schema: SchemaRegistry) -> list[SObjectDef]:
    return sorted(schema.all(), key=lambda o: o.name)


def field_facts(f: FieldDef) -> dict[str, Any]:
    """Field: `digits` carries an int field's precision (precision itself is 0 there), as Salesforce does."""
    is_int = f.type == "int"
    filterable = f.type not in _NOT_FILTERABLE
    return {
        "aggregatable": filterable, "aiPredictionField": False, "autoNumber": f.auto_number,
        "byteLength": f.length * _TEXT_BYTES if f.is_text and f.type not in ("id", "reference") else f.length,
        "calculated": f.calculated, "cascadeDelete": False, "caseSensitive": f.case_sensitive,
        "createable": f.createable, "custom": f.custom, "defaultValue": f.default,
        "defaultedOnCreate": f.defaulted_on_create,
        "dependentPicklist": False, "deprecatedAndHidden": False, "digits": f.precision if is_int else 0,
        "displayLocationInDecimal": False, "encrypted": False, "externalId": f.external_id,
        "filterable": filterable, "groupable": filterable and not f.is_number, "highScaleNumber": False,
        "htmlFormatted": False, "idLookup": f.id_lookup, "label": f.label or f.name,
        "length": f.length if f.is_text else 0, "name": f.name, "nameField": f.name_field,
        "namePointing": len(f.reference_to) > 1, "nillable": f.nillable,
        "permissionable": f.nillable and f.createable,
        "picklistValues": [{"active": True, "defaultValue": v == f.default, "label": v, "value": v}
                           for v in f.picklist],
        "polymorphicForeignKey": len(f.reference_to) > 1, "precision": 0 if is_int else f.precision,
        "queryByDistance": False, "referenceTo": list(f.reference_to),
        "relationshipName": f.relationship_name,
        "restrictedDelete": False, "restrictedPicklist": f.restricted_picklist, "scale": f.scale,
        "searchPrefilterable": False, "soapType": f.soap_type, "sortable": filterable, "type": f.type,
        "unique": f.unique, "updateable": f.updateable, "writeRequiresMasterRead": False,
    }


def child_relationships(obj: SObjectDef, schema: SchemaRegistry) -> list[dict[str, Any]]:
    """Reference fields of other objects that point here, with the relationship name the child field declares
    (Account.Contacts, Account.Cases; a custom lookup's relationshipName plus "__r" [inf])."""
    return [
        {"cascadeDelete": False, "childSObject": other.name, "deprecatedAndHidden": False, "field": f.name,
         "relationshipName": f.child_relationship, "restrictedDelete": False}
        for other in all_objects(schema) for f in other.api_fields() if obj.name in f.reference_to
    ]


def record_type_infos(obj: SObjectDef) -> list[dict[str, Any]]:
    """recordTypeInfos: the org's record types of this object, then Master, which is the default mapping only
    when no other is (DescribeSObjectResult, RecordTypeInfo; always present, id 012000000000000AAA)."""
    has_default = any(r.default for r in obj.record_types)
    infos = [{"active": r.active, "available": r.active, "defaultRecordTypeMapping": r.default,
              "developerName": r.developer_name, "master": False, "name": r.name, "recordTypeId": r.id}
             for r in obj.record_types]
    return [*infos,
            {"active": True, "available": True, "defaultRecordTypeMapping": not has_default,
             "developerName": "Master", "master": True, "name": "Master", "recordTypeId": MASTER_RECORD_TYPE}]


def describe_facts(obj: SObjectDef, schema: SchemaRegistry) -> dict[str, Any]:
    """DescribeSObjectResult: the global facts plus fields, child relationships and record types."""
    return global_facts(obj) | {
        "actionOverrides": [], "childRelationships": child_relationships(obj, schema),
        "compactLayoutable": obj.createable,
        "defaultImplementation": None, "fields": [field_facts(f) for f in obj.api_fields()],
        "implementedBy": None,
        "implementsInterfaces": None, "listviewable": None, "lookupLayoutable": None, "namedLayoutInfos": [],
        "networkScopeFieldName": None,
        "recordTypeInfos": record_type_infos(obj),
        "searchLayoutable": obj.createable,
        "supportedScopes": [{"label": "All " + obj.label_plural.lower(), "name": "everything"}],
    }
