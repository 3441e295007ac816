"""describeGlobal, an object's basic information and describeSObject as REST JSON, from the schema registry.

Names follow DescribeGlobalSObjectResult / DescribeSObjectResult / Field of the Partner WSDL, as the REST
API's JSON does; hidden fields never appear.
"""
from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime as format_datetime_http
from email.utils import parsedate_to_datetime
from typing import Any

from starlette.responses import Response

from sfmock.core import layouts
from sfmock.core.errors import CallError
from sfmock.core.org_describe import apply_org
from sfmock.core.schema import FieldDef, SchemaRegistry, SObjectDef, registry
from sfmock.core.schema.describe import all_objects, describe_facts, field_facts, global_facts
from sfmock.rest.context import RestContext
from sfmock.rest.errors import not_found
from sfmock.rest.responses import json_response

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
    """Only resources sfmock serves (Salesforce also lists compactLayouts, defaultValues, approvalLayouts…,
    which a client following them here would find missing)."""
    base = f"{data_path}/sobjects/{obj.name}"
    return {
        "rowTemplate": f"{base}/{{ID}}",
        "describe": f"{base}/describe",
        "layouts": f"{base}/describe/layouts",
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
    unchanged = not_modified(ctx)
    if unchanged is not None:
        return unchanged
    return json_response(describe_global(ctx.data_path, schema), headers=_last_modified())


# The schema is the registry's, fixed while the server runs: its "last modified" is the process start.
_SCHEMA_SINCE = datetime.now(UTC).replace(microsecond=0)


def _last_modified() -> dict[str, str]:
    return {"Last-Modified": format_datetime_http(_SCHEMA_SINCE, usegmt=True)}


def not_modified(ctx: RestContext) -> Response | None:
    """REST API "Conditional Requests": If-Modified-Since (EEE, dd MMM yyyy HH:mm:ss z) on describeGlobal and
    describe answers 304 with no body when the metadata has not changed since."""
    raw = ctx.headers.get("if-modified-since")
    if not raw:
        return None
    try:
        since = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    since = since if since.tzinfo else since.replace(tzinfo=UTC)
    return Response(status_code=304) if since >= _SCHEMA_SINCE else None


def get_basic_info(ctx: RestContext, sobject: str) -> Response:
    """GET …/sobjects/{Type}/: objectDescribe plus recentItems, the user's recently *viewed* records. API
    calls do not mark records viewed (only the UI, or SOAP's MruHeader, does), so for an API-only org it is
    empty."""
    obj = find(sobject)
    with ctx.call("describeSObject", obj.name):
        pass  # authenticates, counts and journals the call
    return json_response({"objectDescribe": global_entry(obj, ctx.data_path), "recentItems": []})


def get_describe(ctx: RestContext, sobject: str) -> Response:
    """GET …/sobjects/{Type}/describe/ (304 when If-Modified-Since is not older than the schema)."""
    obj = find(sobject)
    with ctx.call("describeSObject", obj.name) as call:
        schema, org = call.store.schema, call.org
    unchanged = not_modified(ctx)
    if unchanged is not None:
        return unchanged
    own = schema.get(obj.name)
    return json_response(apply_org(describe(own, ctx.data_path, schema), own, org), headers=_last_modified())


# Every key of a REST DescribeLayout (REST API "Describe Layouts" example); those sfmock keeps nothing for are
# empty.
_EMPTY_LAYOUT: dict[str, Any] = {"buttonLayoutSection": None, "detailLayoutSections": [],
                 "editLayoutSections": [],
                 "feedView": None, "highlightsPanelLayoutSection": None, "id": None,
                 "multirowEditLayoutSections": [], "offlineLinks": [],
                 "quickActionList": {"quickActionListItems": []}, "relatedContent": None, "relatedLists": [],
                 "saveOptions": []}


def get_layouts(ctx: RestContext, sobject: str, record_type: str | None = None) -> Response:
    """GET …/sobjects/{Type}/describe/layouts/[{recordTypeId}]: the layouts of sfmock.core.layouts (the same
    as SOAP describeLayout's), every record type mapping with its `urls.layout`; one layout for a record type
    id (404 for an id that is no record type of the object)."""
    obj = find(sobject)
    with ctx.call("describeLayout", obj.name) as call:
        own, org_id = call.store.schema.get(obj.name), call.org.org_id
    if record_type is not None:
        try:
            asked = layouts.asked_record_types(own, [record_type])
        except CallError:
            raise not_found() from None
        described = layouts.describe_layout(own, org_id, asked)
        return json_response(_EMPTY_LAYOUT | described["layouts"][0])
    described = layouts.describe_layout(own, org_id, None)
    base = f"{ctx.data_path}/sobjects/{obj.name}/describe/layouts"
    mappings = [m | {"urls": {"layout": f"{base}/{m['recordTypeId']}"}}
                for m in described["recordTypeMappings"]]
    return json_response({"layouts": [_EMPTY_LAYOUT | one for one in described["layouts"]],
                          "recordTypeMappings": mappings,
                          "recordTypeSelectorRequired": [described["recordTypeSelectorRequired"]]})


def get_layout(ctx: RestContext, sobject: str, record_type: str) -> Response:
    return get_layouts(ctx, sobject, record_type)
