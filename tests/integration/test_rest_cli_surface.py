"""What the sf CLI reads beyond records: doubled leading slashes, Organization fields, describe's
If-Modified-Since, child relationship names and the default Lead Status, relationship URLs, /recent, the
Tooling query it sends."""
from __future__ import annotations

from tests.integration.test_rest_fixtures import ADMIN, BASE, V, api, errors_of

__all__ = ["api"]


def test_a_doubled_leading_slash_is_served(api):
    response = api.get(f"{BASE}/{V}/sobjects/Lead/describe")
    assert response.status_code == 200 and response.json()["name"] == "Lead"
    # an inner '//' is a 404, as on Salesforce
    assert api.get(f"{BASE}{V}//sobjects/Lead/describe").status_code == 404


def test_organization_fields_the_cli_reads(api):
    soql = ("SELECT Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, OrganizationType "
            "FROM Organization")
    [org] = api.get("/query", params={"q": soql}).json()["records"]
    assert (org["IsSandbox"], org["TrialExpirationDate"], org["NamespacePrefix"]) == (False, None, None)
    assert org["OrganizationType"] == "Developer Edition"


def test_describe_if_modified_since_and_relationships(api):
    fresh = api.get("/sobjects/Case/describe")
    assert fresh.status_code == 200 and "last-modified" in fresh.headers
    cases = next(c for c in fresh.json()["childRelationships"] if c["childSObject"] == "Case")
    assert (cases["field"], cases["relationshipName"]) == ("ParentId", "Cases")
    assert set(fresh.json()["urls"]) == {"rowTemplate", "describe", "layouts", "sobject"}
    later = api.get("/sobjects/Case/describe", headers={"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"})
    assert later.status_code == 304 and later.content == b""
    older = api.get("/sobjects/Case/describe", headers={"If-Modified-Since": "Fri, 01 Jan 2010 00:00:00 GMT"})
    assert older.status_code == 200
    assert api.get("/sobjects",
                   headers={"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"}).status_code == 304
    status = next(f for f in api.get("/sobjects/Lead/describe").json()["fields"] if f["name"] == "Status")
    defaults = [v["value"] for v in status["picklistValues"] if v["defaultValue"]]
    assert defaults == ["Open - Not Contacted"]


def test_relationship_urls(api):
    lead = api.create("Lead", LastName="Rao", Company="Acme", headers={"Sforce-Auto-Assign": "FALSE"})
    owner = api.get(f"/sobjects/Lead/{lead}/Owner")
    assert owner.status_code == 200
    assert owner.json()["attributes"]["type"] == "User" and owner.json()["Username"] == ADMIN
    some = api.get(f"/sobjects/Lead/{lead}/Owner", params={"fields": "Username"}).json()
    assert set(some) == {"attributes", "Id", "Username"}
    parent = api.create("Case", Subject="Parent")
    child = api.create("Case", Subject="Child", ParentId=parent)
    children = api.get(f"/sobjects/Case/{parent}/Cases").json()
    assert children["totalSize"] == 1 and children["records"][0]["Id"] == child
    assert api.get(f"/sobjects/Case/{child}/Cases").json() == {"totalSize": 0, "done": True, "records": []}
    assert api.get(f"/sobjects/Case/{child}/Parent").json()["Id"] == parent
    assert api.get(f"/sobjects/Case/{parent}/Parent").status_code == 404
    bad = api.get(f"/sobjects/Lead/{lead}/Owner", params={"fields": "Nope"})
    assert bad.status_code == 400 and errors_of(bad)[0][0] == "INVALID_FIELD"


def test_recent_and_tooling(api):
    assert api.get("/recent", params={"limit": "10"}).json() == []
    empty = api.get("/tooling/query",
                    params={"q": "SELECT MemberName FROM SourceMember WHERE RevisionCounter > 0"})
    assert empty.status_code == 200 and empty.json()["records"] == [] and empty.json()["totalSize"] == 0
    other = api.get("/tooling/query", params={"q": "SELECT Id FROM ApexClass"})
    assert other.status_code == 400 and errors_of(other)[0][0] == "INVALID_TYPE"
    assert api.get("/tooling/sobjects/SourceMember/describe").status_code == 404


def test_tooling_custom_fields_show_the_00N_ids_web_forms_post(api):
    from sfmock.persistence.orgs import open_org

    with api.demo.db.session() as session:
        lead = open_org(session, api.demo.org.org_id).schema.get("Lead")
    expected = {f.name.removesuffix("__c"): f.field_id for f in lead.fields if f.custom}
    soql = "SELECT Id, DeveloperName, TableEnumOrId FROM CustomField WHERE TableEnumOrId = 'Lead'"
    body = api.get("/tooling/query", params={"q": soql}).json()
    assert (body["entityTypeName"], body["totalSize"], body["done"]) == ("CustomField", len(expected), True)
    assert {r["DeveloperName"]: r["Id"] for r in body["records"]} == expected
    assert {r["TableEnumOrId"] for r in body["records"]} == {"Lead"}
    region = expected["Region"]
    assert region.startswith("00N") and len(region) == 18
    soql = ("SELECT Id, NamespacePrefix FROM CustomField "
            "WHERE DeveloperName = 'region' AND TableEnumOrId = 'Lead'")
    one = api.get("/tooling/query", params={"q": soql})
    assert one.json()["records"] == [{"attributes": {"type": "CustomField",
                                                     "url": f"{V}/tooling/sobjects/CustomField/{region}"},
                                      "Id": region, "NamespacePrefix": None}]
    record = api.get(f"/tooling/sobjects/CustomField/{region[:15]}").json()
    assert (record["Id"], record["DeveloperName"]) == (region, "Region")
    assert record["ManageableState"] == "unmanaged"
    assert api.get("/tooling/sobjects/CustomField/00N000000000000").status_code == 404
    bad = api.get("/tooling/query", params={"q": "SELECT Id, Nope FROM CustomField"})
    assert bad.status_code == 400 and errors_of(bad)[0][0] == "INVALID_FIELD"
    odd = api.get("/tooling/query", params={"q": "SELECT Id FROM CustomField WHERE Id IN ('x')"})
    assert odd.status_code == 400 and errors_of(odd)[0][0] == "MALFORMED_QUERY"


def test_describe_layouts_answers_the_layout_of_every_record_type(api):
    """The layout SOAP describeLayout describes too (sfmock.core.layouts), in REST's keys."""
    layouts = api.get("/sobjects/Lead/describe/layouts/").json()
    assert layouts["recordTypeSelectorRequired"] == [False] and len(layouts["layouts"]) == 1
    [layout] = layouts["layouts"]
    assert layout["id"].startswith("00h") and layout["feedView"] is None and layout["relatedLists"] == []
    fields = [i["layoutComponents"][0]["value"] for s in layout["editLayoutSections"] for r in s["layoutRows"]
              for i in r["layoutItems"]]
    assert {"LastName", "Company", "OwnerId"} <= set(fields)
    mappings = layouts["recordTypeMappings"]
    assert [(m["developerName"], m["master"], m["layoutId"]) for m in mappings] == [
        ("Partner_Lead", False, layout["id"]), ("Master", True, layout["id"])]
    one = api.get(mappings[1]["urls"]["layout"])
    assert one.status_code == 200 and one.json() == layout
    assert api.get("/sobjects/Lead/describe/layouts/012000000000001AAA").status_code == 404
    assert api.get("/sobjects/Lead/describe/layouts/nope").status_code == 404
