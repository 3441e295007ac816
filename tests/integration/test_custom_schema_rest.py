"""The demo org's own schema through the REST door: custom fields written, read, queried, upserted by External
ID, validated with Salesforce's codes and texts; value sets, record types, Account and Contact."""
from __future__ import annotations

from tests.integration.test_rest_fixtures import api, errors_of

__all__ = ["api"]

EMEA = {"LastName": "Schmidt", "Company": "Siemens", "Region__c": "EMEA", "Score__c": 42}


def test_custom_fields_are_written_read_and_route(api):
    lead_id = api.create("Lead", LastName="Schmidt", Company="Siemens", region__c="EMEA", Score__c=42,
                         External_Id__c="EXT-1")
    record = api.record("Lead", lead_id)
    assert (record["Region__c"], record["Score__c"], record["External_Id__c"]) == ("EMEA", 42, "EXT-1")
    # Standard Routing's entry 4 tests the custom field: EMEA leads go to the EMEA queue (REST: no mail).
    assert record["OwnerId"] == api.queue("EMEA_Leads_Queue")
    assert "RecordTypeId" in record and record["RecordTypeId"] is None
    [row] = [r for r in api.rows("Lead") if r["Id"] == lead_id]
    assert "Region__c" not in row and "EMEA" in row.values()  # stored in a slot column


def test_custom_fields_in_soql_select_filter_order(api):
    for score, region in ((10, "EMEA"), (30, "APAC"), (20, "EMEA")):
        api.create("Lead", LastName=f"L{score}", Company="C", Region__c=region, Score__c=score)
    response = api.get("/query", params={
        "q": "SELECT Name, region__c, Score__c FROM Lead WHERE Region__c = 'EMEA' AND Score__c > 5 "
             "ORDER BY Score__c DESC"})
    assert response.status_code == 200, response.text
    records = response.json()["records"]
    assert [(r["Name"], r["Region__c"], r["Score__c"]) for r in records] == [("L20", "EMEA", 20),
                                                                             ("L10", "EMEA", 10)]
    bad = api.get("/query", params={"q": "SELECT Id FROM Lead WHERE Nope__c = 'x'"})
    assert bad.status_code == 400 and errors_of(bad)[0][0] == "INVALID_FIELD"


def test_upsert_by_custom_external_id(api):
    created = api.patch("/sobjects/Lead/External_Id__c/ABC-1", json={"LastName": "Up", "Company": "C"})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["created"] is True and body["success"] is True
    updated = api.patch("/sobjects/Lead/external_id__c/ABC-1", json={"Title": "CTO"})
    assert updated.status_code == 200, updated.text
    assert updated.json() == {"id": body["id"], "success": True, "errors": [], "created": False}
    assert api.record("Lead", body["id"])["Title"] == "CTO"
    # External ids match in any case unless the field is case-sensitive (External_Id__c is not).
    other_case = api.patch("/sobjects/Lead/External_Id__c/abc-1", json={"Title": "CEO"})
    assert other_case.status_code == 200 and other_case.json()["id"] == body["id"]
    not_external = api.patch("/sobjects/Lead/Score__c/5", json={"LastName": "X", "Company": "C"})
    assert not_external.status_code == 404
    assert errors_of(not_external) == [
        ("NOT_FOUND", "Provided external ID field does not exist or is not accessible: Score__c")]


def test_validation_codes_and_texts(api):
    def error(**values):
        response = api.post("/sobjects/Lead/", json={"LastName": "V", "Company": "C"} | values)
        assert response.status_code == 400, response.text
        return response.json()[0]

    assert error(Region__c="Mars") == {
        "errorCode": "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "fields": ["Region__c"],
        "message": "Region: bad value for restricted picklist field: Mars"}
    assert error(Score__c=1000) == {
        "errorCode": "NUMBER_OUTSIDE_VALID_RANGE", "fields": ["Score__c"],
        "message": "Score: value outside of valid range on numeric field: 1000"}
    assert error(External_Id__c="x" * 41)["errorCode"] == "STRING_TOO_LONG"
    assert (
        error(External_Id__c="x" * 41)["message"]
        == f"External Id: data value too large: {'x' * 41} (max length=40)"
    )
    assert error(Unknown__c="x") == {"errorCode": "INVALID_FIELD", "fields": ["Unknown__c"],
                                     "message": "No such column 'Unknown__c' on sobject of type Lead"}
    first = api.create("Lead", LastName="D", Company="C", External_Id__c="DUP-1")
    assert error(External_Id__c="dup-1") == {
        "errorCode": "DUPLICATE_VALUE", "fields": [],
        "message": f"duplicate value found: External_Id__c duplicates value on record with id: {first}"}


def test_describe_shows_the_orgs_fields_value_sets_and_record_types(api):
    body = api.get("/sobjects/Lead/describe").json()
    fields = {f["name"]: f for f in body["fields"]}
    region = fields["Region__c"]
    assert (region["custom"], region["type"], region["restrictedPicklist"], region["label"]) == \
        (True, "picklist", True, "Region")
    assert [v["value"] for v in region["picklistValues"]] == ["APAC", "EMEA", "Americas"]
    ext = fields["External_Id__c"]
    assert (ext["externalId"], ext["unique"], ext["length"], ext["idLookup"], ext["custom"]) == \
        (True, True, 40, True, True)
    score = fields["Score__c"]
    assert (score["type"], score["precision"], score["scale"],
            score["soapType"]) == ("double", 3, 0, "xsd:double")
    assert "Webinar" in [v["value"] for v in fields["LeadSource"]["picklistValues"]]
    assert fields["LastName"]["custom"] is False
    infos = body["recordTypeInfos"]
    assert [(i["developerName"], i["master"], i["defaultRecordTypeMapping"]) for i in infos] == [
        ("Partner_Lead", False, False), ("Master", True, True)]
    assert infos[0]["recordTypeId"].startswith("012")
    # Case has no record type in the demo org: no RecordTypeId (Object Reference).
    case_fields = {f["name"] for f in api.get("/sobjects/Case/describe").json()["fields"]}
    assert "RecordTypeId" not in case_fields and "Customer_Tier__c" in case_fields


def test_record_type_limits_picklist_values(api):
    infos = api.get("/sobjects/Lead/describe").json()["recordTypeInfos"]
    partner = next(i["recordTypeId"] for i in infos if i["developerName"] == "Partner_Lead")
    response = api.post("/sobjects/Lead/", json={"LastName": "R", "Company": "C", "RecordTypeId": partner,
                                                  "Region__c": "Americas"})
    assert response.status_code == 400
    assert errors_of(response) == [("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                                    "Region: bad value for restricted picklist field: Americas")]
    lead_id = api.create("Lead", LastName="R", Company="C", RecordTypeId=partner, Region__c="EMEA")
    assert (api.record("Lead", lead_id)["RecordTypeId"],
            api.record("Lead", lead_id)["Region__c"]) == (partner, "EMEA")
    # A picklist not sent takes the record type's default (Partner_Lead: Region__c APAC).
    defaulted = api.create("Lead", LastName="R", Company="C", RecordTypeId=partner)
    assert api.record("Lead", defaulted)["Region__c"] == "APAC"
    rows = api.get("/query",
                   params={"q": "SELECT DeveloperName, SobjectType FROM RecordType"}).json()["records"]
    assert [(r["DeveloperName"], r["SobjectType"]) for r in rows] == [("Partner_Lead", "Lead")]


def test_account_contact_and_case_relationships(api):
    account = api.create("Account", Name="Acme Corp", Industry="Banking", BillingCity="Pune",
                         NumberOfEmployees=50)
    contact = api.create("Contact", LastName="Rao", FirstName="Asha", Email="asha@acme.example",
                         AccountId=account)
    case = api.create("Case", Subject="Broken", AccountId=account, ContactId=contact)
    response = api.get("/query", params={
        "q": f"SELECT Subject, Account.Name, Contact.Email, Contact.Account.BillingCity FROM Case WHERE Id = "
             f"'{case}'"})
    assert response.status_code == 200, response.text
    [record] = response.json()["records"]
    assert record["Account"]["Name"] == "Acme Corp" and record["Contact"]["Email"] == "asha@acme.example"
    assert record["Contact"]["Account"]["BillingCity"] == "Pune"
    assert api.record("Contact", contact)["Name"] == "Asha Rao"
    children = {(c["childSObject"], c["field"], c["relationshipName"])
                for c in api.get("/sobjects/Account/describe").json()["childRelationships"]}
    assert {("Contact", "AccountId", "Contacts"), ("Case", "AccountId", "Cases")} <= children
    assert ("Case", "ParentId", "Cases") in {(c["childSObject"], c["field"], c["relationshipName"]) for c in
                                             api.get("/sobjects/Case/describe").json()["childRelationships"]}
    missing = api.post("/sobjects/Case/", json={"Subject": "x", "AccountId": "001000000000000AAA"})
    assert missing.status_code == 400 and errors_of(missing)[0][0] == "INVALID_CROSS_REFERENCE_KEY"


def test_custom_lookup_relationship_paths(api):
    account = api.create("Account", Name="Partner Co", Website="https://partner.example")
    lead_id = api.create("Lead", LastName="P", Company="C", Partner_Account__c=account)
    response = api.get("/query", params={
        "q": "SELECT Partner_Account__r.Name, Partner_Account__r.Owner.Name FROM Lead "
             "WHERE Partner_Account__r.Website = 'https://partner.example'"})
    assert response.status_code == 200, response.text
    [record] = response.json()["records"]
    assert record["Partner_Account__r"]["Name"] == "Partner Co" and record["attributes"]["url"].endswith(
        lead_id
    )
    assert record["Partner_Account__r"]["Owner"]["Name"] == "Ada Admin"
    fields = {f["name"]: f for f in api.get("/sobjects/Lead/describe").json()["fields"]}
    lookup = fields["Partner_Account__c"]
    assert (lookup["type"], lookup["referenceTo"], lookup["relationshipName"], lookup["custom"]) == \
        ("reference", ["Account"], "Partner_Account__r", True)
    children = {(c["childSObject"], c["field"], c["relationshipName"])
                for c in api.get("/sobjects/Account/describe").json()["childRelationships"]}
    assert ("Lead", "Partner_Account__c", "Partner_Leads__r") in children
    missing = api.post("/sobjects/Lead/", json={"LastName": "P", "Company": "C",
                                                "Partner_Account__c": "001000000000000AAA"})
    assert missing.status_code == 400
    assert errors_of(missing) == [("INVALID_CROSS_REFERENCE_KEY",
                                   "Partner Account: id value of incorrect type or not found")]


def test_is_closed_follows_the_closed_case_statuses(api):
    closed = api.create("Case", Subject="Done", Status="Closed")
    open_case = api.create("Case", Subject="Open")
    assert (api.record("Case", closed)["IsClosed"],
            api.record("Case", open_case)["IsClosed"]) == (True, False)
    assert api.patch(f"/sobjects/Case/{open_case}", json={"Status": "Closed"}).status_code == 204
    assert api.record("Case", open_case)["IsClosed"] is True
