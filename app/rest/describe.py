"""describeGlobal, an object's basic information and describeSObject as REST JSON, from the schema registry.

Names follow DescribeGlobalSObjectResult / DescribeSObjectResult / Field of the Partner WSDL, as the REST API's
JSON does; hidden fields never appear.
"""
from __future__ import annotations

from typing import Any

from starlette.responses import Response

from app.core.schema import FieldDef, SchemaRegistry, SObjectDef, registry
from app.core.schema.describe import (all_objects, describe_facts, field_facts,
                                      global_facts)
from app.rest.context import RestContext
from app.rest.errors import not_found
from app.rest.responses import json_response

_FIELD_EXTRAS = dict.fromkeys((
    "calculatedFormula", "compoundFieldName", "controllerName", "defaultValueFormula", "extraTypeInfo",
    "filteredLookupInfo", "inlineHelpText", "mask", "maskType", "referenceTargetField", "relationshipOrder"))


def find(name: str) -> SObjectDef:
    """The object named in a URL, or 404 NOT_FOUND (Salesforce's answer for an unknown sObject in a path).
    Every org has the same objects (orgs add fields, not objects), so this needs no org; its fields come from
    the org's schema once the call is authenticated."""
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
    return global_facts(obj) | {"urls": _urls(obj, data_path)}


def describe_global(data_path: str, schema: SchemaRegistry) -> dict[str, Any]:
    return {"encoding": "UTF-8", "maxBatchSize": 200,
            "sobjects": [global_entry(o, data_path) for o in all_objects(schema)]}


def field_json(f: FieldDef) -> dict[str, Any]:
    """Field as REST JSON: the shared facts, the keys REST always writes (null here), picklist validFor."""
    facts = field_facts(f)
    facts["picklistValues"] = [entry | {"validFor": None} for entry in facts["picklistValues"]]
    return dict(sorted((facts | _FIELD_EXTRAS).items()))


def describe(obj: SObjectDef, data_path: str, schema: SchemaRegistry) -> dict[str, Any]:
    """DescribeSObjectResult: the global entry's facts plus fields, childRelationships and recordTypeInfos."""
    body = describe_facts(obj, schema) | {"urls": _urls(obj, data_path), "extendedBy": None,
                                          "extendsInterfaces": None}
    body["fields"] = [field_json(f) for f in obj.api_fields()]
    body["childRelationships"] = [c | {"junctionIdListNames": [], "junctionReferenceTo": []}
                                  for c in body["childRelationships"]]
    body["recordTypeInfos"] = [r | {"urls": {
        "layout": f"{data_path}/sobjects/{obj.name}/describe/layouts/{r['recordTypeId']}"}}
        for r in body["recordTypeInfos"]]
    return dict(sorted(body.items()))


# --- resources ----------------------------------------------------------------------------------------
def get_global(ctx: RestContext) -> Response:
    """GET …/sobjects/"""
    with ctx.call("describeGlobal") as call:
        schema = call.store.schema
    return json_response(describe_global(ctx.data_path, schema))


def get_basic_info(ctx: RestContext, sobject: str) -> Response:
    """GET …/sobjects/{Type}/: objectDescribe plus recentItems, the user's recently *viewed* records. API calls
    do not mark records viewed (only the UI, or SOAP's MruHeader, does), so for an API-only org it is empty."""
    obj = find(sobject)
    with ctx.call("describeSObject", obj.name):
        pass  # authenticates, counts and journals the call
    return json_response({"objectDescribe": global_entry(obj, ctx.data_path), "recentItems": []})


def get_describe(ctx: RestContext, sobject: str) -> Response:
    """GET …/sobjects/{Type}/describe/"""
    obj = find(sobject)
    with ctx.call("describeSObject", obj.name) as call:
        schema = call.store.schema
    return json_response(describe(schema.get(obj.name), ctx.data_path, schema))
