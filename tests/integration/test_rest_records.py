"""One record by URL on the demo org: create, read, update, delete, upsert by external id, and their
errors."""
from __future__ import annotations

import gzip
import json
import re

import pytest

from sfmock.core.ids import to18
from tests.integration.test_rest_fixtures import JSON_TYPE, V, api, errors_of

__all__ = ["api"]

DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$")
MISSING_LEAD = to18("00Q00000000zzzz")


@pytest.mark.parametrize("path", ["/sobjects/Lead/", "/sobjects/Lead"])
def test_create_answers_201_with_id(api, path):
    response = api.post(path, json={"LastName": "Doe", "Company": "Acme"})
    assert response.status_code == 201 and response.headers["content-type"] == JSON_TYPE
    body = response.json()
    assert list(body) == ["id", "success", "errors"]
    assert body["id"].startswith("00Q") and len(body["id"]) == 18 and body["success"] is True
    assert body["errors"] == []


def test_read_has_attributes_and_salesforce_datetimes(api):
    lead_id = api.create("Lead", LastName="Doe", FirstName="Jane", Company="Acme", AnnualRevenue=1500000)
    record = api.record("Lead", lead_id)
    assert record["attributes"] == {"type": "Lead", "url": f"{V}/sobjects/Lead/{lead_id}"}
    assert next(iter(record)) == "attributes" and record["Id"] == lead_id
    assert record["Name"] == "Jane Doe" and record["AnnualRevenue"] == 1500000
    assert record["Status"] == "Open - Not Contacted" and record["IsConverted"] is False
    assert DATETIME.match(record["CreatedDate"]) and DATETIME.match(record["SystemModstamp"])
    assert "PasswordHash" not in api.record("User", api.user("admin@acme.example"))


def test_read_with_fields(api):
    lead_id = api.create("Lead", LastName="Doe", Company="Acme", Email="jd@acme.example")
    response = api.get(f"/sobjects/Lead/{lead_id}", params={"fields": "email,Company"})
    assert response.status_code == 200
    body = response.json()
    assert body == {"attributes": {"type": "Lead", "url": f"{V}/sobjects/Lead/{lead_id}"}, "Id": lead_id,
                    "Email": "jd@acme.example", "Company": "Acme"}
    bad = api.get(f"/sobjects/Lead/{lead_id}", params={"fields": "Email,Bogus"})
    assert bad.status_code == 400
    [(code, message)] = errors_of(bad)
    assert code == "INVALID_FIELD" and message.startswith("No such column 'Bogus' on entity 'Lead'")


def test_read_by_15_char_id_and_in_any_case_of_18(api):
    lead_id = api.create("Lead", LastName="Doe", Company="Acme")
    assert api.record("Lead", lead_id[:15])["Id"] == lead_id
    assert api.record("Lead", lead_id[:15] + lead_id[15:].lower())["Id"] == lead_id


@pytest.mark.parametrize(("segment", "message"), [
    (MISSING_LEAD, "The requested resource does not exist"),
    (to18("500000000000001"), "The requested resource does not exist"),  # another object's id
    ("not-an-id", "Provided external ID field does not exist or is not accessible: not-an-id"),
])
def test_read_missing_is_404(api, segment, message):
    response = api.get(f"/sobjects/Lead/{segment}")
    assert response.status_code == 404
    assert errors_of(response) == [("NOT_FOUND", message)]


def test_update_with_patch_and_with_http_method_override(api):
    lead_id = api.create("Lead", LastName="Doe", Company="Acme", Phone="555")
    response = api.patch(f"/sobjects/Lead/{lead_id}", json={"Title": "CTO", "Phone": None})
    assert response.status_code == 204 and response.content == b""
    record = api.record("Lead", lead_id)
    assert record["Title"] == "CTO" and record["Phone"] is None
    override = api.post(f"/sobjects/Lead/{lead_id}", params={"_HttpMethod": "PATCH"}, json={"Title": "CEO"})
    assert override.status_code == 204
    assert api.record("Lead", lead_id)["Title"] == "CEO"


def test_update_errors(api):
    lead_id = api.create("Lead", LastName="Doe", Company="Acme")
    blanked = api.patch(f"/sobjects/Lead/{lead_id}", json={"Company": None})
    assert blanked.status_code == 400
    assert blanked.json() == [{"message": "Required fields are missing: [Company]",
                               "errorCode": "REQUIRED_FIELD_MISSING", "fields": ["Company"]}]
    missing = api.patch(f"/sobjects/Lead/{MISSING_LEAD}", json={"Title": "x"})
    assert missing.status_code == 404 and errors_of(missing)[0][0] == "NOT_FOUND"
    read_only = api.patch(f"/sobjects/Lead/{lead_id}", json={"IsConverted": True})
    assert read_only.status_code == 400 and errors_of(read_only)[0][0] == "INVALID_FIELD_FOR_INSERT_UPDATE"
    assert api.record("Lead", lead_id)["Company"] == "Acme"  # nothing written by the failed calls


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_id_in_the_body_is_refused(api, method):
    lead_id = api.create("Lead", LastName="Doe", Company="Acme")
    path = "/sobjects/Lead/" if method == "POST" else f"/sobjects/Lead/{lead_id}"
    response = api.request(method, path, json={"Id": lead_id, "LastName": "Other", "Company": "Acme"})
    assert response.status_code == 400
    assert response.json() == [{"message": "The Id field should not be specified in the sobject data.",
                                "errorCode": "INVALID_FIELD"}]


def test_create_errors(api):
    missing = api.post("/sobjects/Lead/", json={"LastName": "Doe"})
    assert missing.status_code == 400
    assert missing.json() == [{"message": "Required fields are missing: [Company]",
                               "errorCode": "REQUIRED_FIELD_MISSING", "fields": ["Company"]}]
    unknown_field = api.post("/sobjects/Lead/", json={"LastName": "Doe", "Company": "A", "Shoe": 1})
    assert unknown_field.status_code == 400
    assert errors_of(unknown_field) == [("INVALID_FIELD", "No such column 'Shoe' on sobject of type Lead")]
    wrong_type = api.post("/sobjects/Lead/",
                          json={"LastName": "Doe", "Company": "A", "AnnualRevenue": "lots"})
    assert wrong_type.status_code == 400 and errors_of(wrong_type)[0][0] == "INVALID_TYPE_ON_FIELD_IN_RECORD"
    unknown_object = api.post("/sobjects/Leed/", json={"LastName": "Doe"})
    assert unknown_object.status_code == 404
    assert api.rows("Lead") == []


def test_gzip_body(api):
    body = gzip.compress(json.dumps({"LastName": "Zipped", "Company": "Acme"}).encode())
    response = api.post("/sobjects/Lead/", content=body,
                        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
    assert response.status_code == 201, response.text
    assert api.record("Lead", response.json()["id"])["LastName"] == "Zipped"


def test_delete(api):
    lead_id = api.create("Lead", LastName="Doe", Company="Acme")
    response = api.delete(f"/sobjects/Lead/{lead_id}")
    assert response.status_code == 204 and response.content == b""
    gone = api.get(f"/sobjects/Lead/{lead_id}")
    assert gone.status_code == 404
    assert gone.json() == [{"message": "entity is deleted", "errorCode": "ENTITY_IS_DELETED", "fields": []}]
    again = api.delete(f"/sobjects/Lead/{lead_id}")
    assert again.status_code == 404 and errors_of(again)[0][0] == "ENTITY_IS_DELETED"
    assert api.delete(f"/sobjects/Lead/{MISSING_LEAD}").status_code == 404
    refused = api.delete(f"/sobjects/AssignmentRule/{api.rule('Lead/Standard Routing')}")
    assert refused.status_code == 400 and errors_of(refused)[0][0] == "INVALID_TYPE_FOR_OPERATION"


def test_upsert_by_external_id(api):
    path = "/sobjects/Lead/Email/pat%40acme.example"
    created = api.patch(path, json={"LastName": "Pat", "Company": "Acme"})
    assert created.status_code == 201
    body = created.json()
    assert body == {"id": body["id"], "success": True, "errors": [], "created": True}
    updated = api.patch(path, json={"Title": "VP"})
    assert updated.status_code == 200
    assert updated.json() == {"id": body["id"], "success": True, "errors": [], "created": False}
    assert api.record("Lead", body["id"])["Title"] == "VP"
    # Before API 46.0 an update by upsert answered 204 without a body.
    old = api.patch("/services/data/v45.0/sobjects/Lead/Email/pat%40acme.example", json={"Title": "SVP"})
    assert old.status_code == 204 and old.content == b""
    fetched = api.get(path)
    assert fetched.status_code == 200 and fetched.json()["Title"] == "SVP"


def test_upsert_with_several_matches_is_300_with_their_urls(api):
    first = api.create("Lead", LastName="One", Company="Acme", Email="dup@acme.example")
    second = api.create("Lead", LastName="Two", Company="Acme", Email="dup@acme.example")
    response = api.patch("/sobjects/Lead/Email/dup@acme.example", json={"Title": "x"})
    assert response.status_code == 300
    assert sorted(response.json()) == sorted([f"{V}/sobjects/Lead/{first}", f"{V}/sobjects/Lead/{second}"])
    assert all(r["Title"] is None for r in api.rows("Lead"))
    assert api.get("/sobjects/Lead/Email/dup@acme.example").status_code == 300


def test_upsert_errors(api):
    not_external = api.patch("/sobjects/Lead/LastName/Doe", json={"Company": "Acme"})
    assert not_external.status_code == 404
    assert errors_of(not_external) == [("NOT_FOUND", "Provided external ID field does not exist or is not "
                                                     "accessible: LastName")]
    incomplete = api.patch("/sobjects/Lead/Email/new@acme.example", json={"LastName": "New"})
    assert incomplete.status_code == 400 and errors_of(incomplete)[0][0] == "REQUIRED_FIELD_MISSING"
    lead_id = api.create("Lead", LastName="Doe", Company="Acme")
    by_id = api.patch(f"/sobjects/Lead/Id/{lead_id}", json={"Title": "Boss"})
    assert by_id.status_code == 200 and by_id.json()["created"] is False
    assert api.record("Lead", lead_id)["Title"] == "Boss"


def test_an_unexpected_failure_is_500_unknown_exception_without_traceback(api, monkeypatch, caplog):
    from sfmock.rest import records

    def explode(*args, **kwargs):
        raise RuntimeError("internal detail /secret/path.py line 42")

    monkeypatch.setattr(records, "record_input", explode)
    response = api.post("/sobjects/Lead/", json={"LastName": "Doe", "Company": "Acme"})
    assert response.status_code == 500 and response.headers["content-type"] == JSON_TYPE
    [error] = response.json()
    assert error["errorCode"] == "UNKNOWN_EXCEPTION"
    assert "secret" not in response.text and "Traceback" not in response.text
    assert "internal detail" in caplog.text
    assert api.rows("Lead") == []


@pytest.mark.parametrize(("body", "message"), [
    ('{"LastName": [1], "Company": "x"}',
     "Cannot deserialize instance of string from START_ARRAY value [ or request may be missing a required "
     "field"),
    ('{"LastName": "x", "Company": "x", "AnnualRevenue": {"a": 1}}',
     "Cannot deserialize instance of double from START_OBJECT value { or request may be missing a required "
     "field"),
    ('{"LastName": ' + "[" * 50_000 + "]" * 50_000 + "}", "JSON nested too deeply"),
])
def test_non_scalar_and_hostile_json_is_a_parser_error(api, body: str, message: str):
    response = api.post("/sobjects/Lead/", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert errors_of(response) == [("JSON_PARSER_ERROR", message)]
    assert api.rows("Lead") == []


@pytest.mark.parametrize("number", ["Infinity", "-Infinity", "NaN", "1e400"])
def test_non_finite_numbers_are_a_parser_error(api, number):
    """JSON has no NaN or Infinity (RFC 8259 §6) and Salesforce's reader refuses them; 1e400 overflows a
    double. Accepted, they were stored and then read back as `Infinity`, which no JSON client can parse."""
    body = '{"LastName": "A", "Company": "x", "AnnualRevenue": ' + number + "}"
    created = api.post("/sobjects/Lead/", content=body, headers={"Content-Type": "application/json"})
    assert created.status_code == 400 and errors_of(created)[0][0] == "JSON_PARSER_ERROR"
    assert api.rows("Lead") == []
    lead_id = api.create("Lead", LastName="A", Company="x", AnnualRevenue=5)
    patched = api.patch(f"/sobjects/Lead/{lead_id}", content='{"AnnualRevenue": ' + number + "}",
                        headers={"Content-Type": "application/json"})
    assert patched.status_code == 400 and errors_of(patched)[0][0] == "JSON_PARSER_ERROR"
    read = api.get(f"/sobjects/Lead/{lead_id}")
    strict = json.loads(read.text, parse_constant=lambda token: pytest.fail(f"non-JSON token {token}"))
    assert strict["AnnualRevenue"] == 5


def _journal(api) -> list[dict]:
    response = api.client.get(f"/_sfmock/orgs/{api.demo.org.org_id}/journal")
    assert response.status_code == 200, response.text
    return response.json()


def test_failed_writes_are_journaled_once_with_their_error_and_the_assignment_decided(api):
    """The journal entry is named before the call runs, so a write that fails inside the call (a bad
    Sforce-Auto-Assign, an unknown type in a collection, a bad external-id field) is journaled with its error
    code; a write that succeeds is journaled once with its results. `assignment` is the decision parsed from
    Sforce-Auto-Assign (absent or true: "default"; false: "none"; an id-shaped value: that rule, which the
    core then refuses when it is no AssignmentRule id), null when the header could not be parsed."""
    lead_id = api.create("Lead", LastName="Doe", Company="Acme")
    assert api.client.delete(f"/_sfmock/orgs/{api.demo.org.org_id}/journal").status_code == 200
    bad_rule = api.post("/sobjects/Lead/", json={"LastName": "A", "Company": "x"},
                        headers={"Sforce-Auto-Assign": "005001000000001AAA"})
    assert bad_rule.status_code == 400 and errors_of(bad_rule)[0][0] == "MALFORMED_ID"
    nope = api.post("/composite/sobjects", json={"records": [{"attributes": {"type": "Nope"}, "Name": "x"}]},
                    headers={"Sforce-Auto-Assign": "false"})
    assert nope.status_code == 400 and errors_of(nope)[0][0] == "INVALID_TYPE"
    bad_header = api.patch(f"/sobjects/Lead/{lead_id}", json={"Title": "x"},
                           headers={"Sforce-Auto-Assign": "01Qnot-an-id"})
    assert bad_header.status_code == 400 and errors_of(bad_header)[0][0] == "MALFORMED_ID"
    not_external = api.get("/sobjects/Lead/LastName/Doe")
    assert not_external.status_code == 404 and errors_of(not_external)[0][0] == "NOT_FOUND"
    assert api.patch(f"/sobjects/Lead/{lead_id}", json={"Title": "CTO"},
                     headers={"Sforce-Auto-Assign": "true"}).status_code == 204
    assert api.delete(f"/sobjects/Lead/{lead_id}").status_code == 204
    got = [{k: e[k] for k in ("door", "operation", "sobject", "assignment", "results", "error")}
           for e in _journal(api)]
    assert got == [
        {"door": "rest", "operation": "create", "sobject": "Lead", "assignment": "005001000000001AAA",
         "results": [], "error": "MALFORMED_ID"},
        {"door": "rest", "operation": "create", "sobject": "Nope", "assignment": "none", "results": [],
         "error": "INVALID_TYPE"},
        {"door": "rest", "operation": "update", "sobject": "Lead", "assignment": None, "results": [],
         "error": "MALFORMED_ID"},
        {"door": "rest", "operation": "retrieve", "sobject": "Lead", "assignment": None, "results": [],
         "error": "NOT_FOUND"},
        {"door": "rest", "operation": "update", "sobject": "Lead", "assignment": "default", "results": ["OK"],
         "error": None},
        {"door": "rest", "operation": "delete", "sobject": "Lead", "assignment": None, "results": ["OK"],
         "error": None},
    ]


def test_the_journal_notes_the_assignment_decision_not_the_header(api):
    """Sforce-Auto-Assign with a rule id runs that rule on a create, and no rule on an update
    (sfmock.rest.headers.auto_assign); no header means TRUE. The journal says what was decided; the header as
    sent is in `headers`."""
    rule = api.rule("Lead/Standard Routing")
    assert api.client.delete(f"/_sfmock/orgs/{api.demo.org.org_id}/journal").status_code == 200
    lead_id = api.create("Lead", LastName="Doe", Company="Acme")
    assert api.post("/sobjects/Lead/", json={"LastName": "R", "Company": "x"},
                    headers={"Sforce-Auto-Assign": rule[:15]}).status_code == 201
    assert api.patch(f"/sobjects/Lead/{lead_id}", json={"Title": "CTO"},
                     headers={"Sforce-Auto-Assign": rule}).status_code == 204
    assert api.patch(f"/sobjects/Lead/{lead_id}", json={"Title": "CEO"},
                     headers={"Sforce-Auto-Assign": "FALSE"}).status_code == 204
    entries = _journal(api)
    assert [(e["operation"], e["assignment"]) for e in entries] == [
        ("create", "default"), ("create", rule), ("update", "none"), ("update", "none")]
    assert entries[1]["headers"]["sforce-auto-assign"] == rule[:15]
