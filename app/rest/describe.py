"""describeGlobal, an object's basic information and describeSObject as REST JSON, from the schema registry.

Names follow DescribeGlobalSObjectResult / DescribeSObjectResult / Field of the Partner WSDL, as the REST API's
JSON does; hidden fields never appear.
"""
from __future__ import annotations

from typing import Any

from starlette.responses import Response

from app.core.schema import FieldDef, SObjectDef, registry
from app.rest.context import RestContext
from app.rest.errors import not_found
from app.rest.responses import json_response

# Every object has the "Master" record type; its id is the same in every org (012000000000000AAA).
MASTER_RECORD_TYPE = "012000000000000AAA"
_TEXT_BYTES = 3  # Salesforce reports byteLength = length * 3 for text (UTF-8 worst case)
_FILTERABLE_NOT = frozenset({"textarea"})


def find(name: str) -> SObjectDef:
    """The object named in a URL, or 404 NOT_FOUND (Salesforce's answer for an unknown sObject in a path)."""
    found = registry.get(name)
    if found is None:
        raise not_found()
    return found


def _urls(obj: SObjectDef, data_path: str) -> dict[str, str]:
    base = f"{data_path}/sobjects/{obj.name}"
    return {
        "compactLayouts": f"{base}/describe/compactLayouts",
        "rowTemplate": f"{base}/{{ID}}",
        "defaultValues": f"{base}/defaultValues?recordTypeId&fields",
        "describe": f"{base}/describe",
        "sobject": base,
    }


def global_entry(obj: SObjectDef, data_path: str) -> dict[str, Any]:
    """DescribeGlobalSObjectResult, as in GET …/sobjects/ and objectDescribe of GET …/sobjects/{Type}/."""
    assignable = obj.name in ("Lead", "Case")
    return {
        "activateable": False,
        "associateEntityType": None,
        "associateParentEntity": None,
        "createable": obj.createable,
        "custom": False,
        "customSetting": False,
        "deepCloneable": False,
        "deletable": obj.deletable,
        "deprecatedAndHidden": False,
        "feedEnabled": assignable,
        "hasSubtypes": False,
        "isInterface": False,
        "isSubtype": False,
        "keyPrefix": obj.key_prefix,
        "label": obj.label,
        "labelPlural": obj.label_plural,
        "layoutable": obj.createable,
        "mergeable": assignable,
        "mruEnabled": obj.createable,
        "name": obj.name,
        "queryable": obj.queryable,
        "replicateable": obj.queryable,
        "retrieveable": obj.queryable,
        "searchable": obj.createable,
        "triggerable": obj.createable,
        "undeletable": obj.deletable,
        "updateable": obj.updateable,
        "urls": _urls(obj, data_path),
    }


def describe_global(data_path: str) -> dict[str, Any]:
    return {
        "encoding": "UTF-8",
        "maxBatchSize": 200,
        "sobjects": [global_entry(o, data_path) for o in sorted(registry.all(), key=lambda o: o.name)],
    }


def _byte_length(f: FieldDef) -> int:
    return f.length * _TEXT_BYTES if f.is_text and f.type not in ("id", "reference") else f.length


def field_json(f: FieldDef) -> dict[str, Any]:
    """Field, with the WSDL's names; `digits` holds an int field's precision (precision itself is 0 there)."""
    is_int = f.type == "int"
    return {
        "aggregatable": f.type not in _FILTERABLE_NOT,
        "aiPredictionField": False,
        "autoNumber": f.auto_number,
        "byteLength": _byte_length(f),
        "calculated": f.calculated,
        "calculatedFormula": None,
        "cascadeDelete": False,
        "caseSensitive": False,
        "compoundFieldName": None,
        "controllerName": None,
        "createable": f.createable,
        "custom": False,
        "defaultValue": f.default if f.default is not None and f.type != "boolean" else None,
        "defaultValueFormula": None,
        "defaultedOnCreate": f.defaulted_on_create,
        "dependentPicklist": False,
        "deprecatedAndHidden": False,
        "digits": f.precision if is_int else 0,
        "displayLocationInDecimal": False,
        "encrypted": False,
        "externalId": f.external_id,
        "extraTypeInfo": None,
        "filterable": f.type not in _FILTERABLE_NOT,
        "filteredLookupInfo": None,
        "groupable": f.type not in _FILTERABLE_NOT and not f.is_number,
        "highScaleNumber": False,
        "htmlFormatted": False,
        "idLookup": f.id_lookup,
        "inlineHelpText": None,
        "label": f.label,
        "length": f.length if f.is_text else 0,
        "mask": None,
        "maskType": None,
        "name": f.name,
        "nameField": f.name_field,
        "namePointing": len(f.reference_to) > 1,
        "nillable": f.nillable,
        "permissionable": f.nillable and f.createable,
        "picklistValues": [
            {"active": True, "defaultValue": v == f.default, "label": v, "validFor": None, "value": v}
            for v in f.picklist
        ],
        "polymorphicForeignKey": len(f.reference_to) > 1,
        "precision": 0 if is_int else f.precision,
        "queryByDistance": False,
        "referenceTargetField": None,
        "referenceTo": list(f.reference_to),
        "relationshipName": f.relationship_name,
        "relationshipOrder": None,
        "restrictedDelete": False,
        "restrictedPicklist": f.restricted_picklist,
        "scale": f.scale,
        "searchPrefilterable": False,
        "soapType": f.soap_type,
        "sortable": f.type not in _FILTERABLE_NOT,
        "type": f.type,
        "unique": f.unique,
        "updateable": f.updateable,
        "writeRequiresMasterRead": False,
    }


def _child_relationships(obj: SObjectDef) -> list[dict[str, Any]]:
    """Reference fields of other objects that point here. Child relationship names are not in the registry,
    so relationshipName is null [deliberate simplification]."""
    out = []
    for other in sorted(registry.all(), key=lambda o: o.name):
        for f in other.api_fields():
            if obj.name in f.reference_to:
                out.append({
                    "cascadeDelete": False, "childSObject": other.name, "deprecatedAndHidden": False,
                    "field": f.name, "junctionIdListNames": [], "junctionReferenceTo": [],
                    "relationshipName": None, "restrictedDelete": False,
                })
    return out


def describe(obj: SObjectDef, data_path: str) -> dict[str, Any]:
    """DescribeSObjectResult: the global entry's facts plus fields, childRelationships and recordTypeInfos."""
    body = global_entry(obj, data_path)
    body |= {
        "actionOverrides": [],
        "childRelationships": _child_relationships(obj),
        "compactLayoutable": obj.createable,
        "defaultImplementation": None,
        "extendedBy": None,
        "extendsInterfaces": None,
        "fields": [field_json(f) for f in obj.api_fields()],
        "implementedBy": None,
        "implementsInterfaces": None,
        "listviewable": None,
        "lookupLayoutable": None,
        "namedLayoutInfos": [],
        "networkScopeFieldName": None,
        "recordTypeInfos": [{
            "active": True, "available": True, "defaultRecordTypeMapping": True, "developerName": "Master",
            "master": True, "name": "Master", "recordTypeId": MASTER_RECORD_TYPE,
            "urls": {"layout": f"{data_path}/sobjects/{obj.name}/describe/layouts/{MASTER_RECORD_TYPE}"},
        }],
        "searchLayoutable": obj.createable,
        "supportedScopes": [{"label": "All " + obj.label_plural.lower(), "name": "everything"}],
    }
    return dict(sorted(body.items()))


# --- resources ----------------------------------------------------------------------------------------
def get_global(ctx: RestContext) -> Response:
    """GET …/sobjects/"""
    with ctx.call() as call:
        ctx.journal(call, "describeGlobal")
    return json_response(describe_global(ctx.data_path))


def get_basic_info(ctx: RestContext, sobject: str) -> Response:
    """GET …/sobjects/{Type}/: objectDescribe plus recentItems, the user's recently *viewed* records. API calls
    do not mark records viewed (only the UI, or SOAP's MruHeader, does), so for an API-only org it is empty."""
    obj = find(sobject)
    with ctx.call() as call:
        ctx.journal(call, "describeSObject", obj.name)
    return json_response({"objectDescribe": global_entry(obj, ctx.data_path), "recentItems": []})


def get_describe(ctx: RestContext, sobject: str) -> Response:
    """GET …/sobjects/{Type}/describe/"""
    obj = find(sobject)
    with ctx.call() as call:
        ctx.journal(call, "describeSObject", obj.name)
    return json_response(describe(obj, ctx.data_path))
