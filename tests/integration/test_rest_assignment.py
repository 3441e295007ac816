"""Assignment over REST on the demo org: Sforce-Auto-Assign (absent = TRUE), rule ids, updates, collections —
and never an assignment mail, where the same record over SOAP with triggerUserEmail sends one."""
from __future__ import annotations

import re

import pytest

from sfmock import calls
from sfmock.core.options import ACTIVE_RULE
from sfmock.core.results import RecordInput
from tests.integration.test_rest_fixtures import ADMIN, PASSWORD, api, errors_of

__all__ = ["api"]

INDIA = {"LastName": "Kumar", "Company": "Tata", "Country": "India"}
ENTERPRISE = INDIA | {"AnnualRevenue": 50_000_000}  # the entry with a template (notifies over SOAP)


def _owner(api, lead_id: str, sobject: str = "Lead") -> str:
    return api.record(sobject, lead_id)["OwnerId"]


@pytest.mark.parametrize("header", [None, "TRUE", "true", "True"])
def test_active_rule_runs_when_header_absent_or_true(api, header):
    headers = {} if header is None else {"Sforce-Auto-Assign": header}
    lead_id = api.create("Lead", **INDIA, headers=headers)
    assert _owner(api, lead_id) == api.queue("India_SMB_Queue")


@pytest.mark.parametrize("header", ["FALSE", "false", "False"])
def test_false_keeps_the_caller_as_owner(api, header):
    lead_id = api.create("Lead", **INDIA, headers={"Sforce-Auto-Assign": header})
    assert _owner(api, lead_id) == api.user(ADMIN)


def test_entries_in_order_and_the_catch_all(api):
    enterprise = api.create("Lead", **ENTERPRISE)
    healthcare = api.create("Lead", LastName="Lee", Company="Clinic", LeadSource="Web", Industry="Healthcare")
    nothing = api.create("Lead", LastName="Smith", Company="Widgets", Country="France")
    assert _owner(api, enterprise) == api.queue("Enterprise_India_Queue")
    assert _owner(api, healthcare) == api.queue("Healthcare_AE_Round_Robin")
    assert _owner(api, nothing) == api.queue("Unassigned_Leads_Queue")


def test_case_rule_and_default_case_owner(api):
    rep = api.login("priya.rep@acme.example", PASSWORD)
    escalated = api.post("/sobjects/Case/", json={"Subject": "Down", "IsEscalated": True},
                         token=rep).json()["id"]
    calm = api.post("/sobjects/Case/", json={"Subject": "Question"}, token=rep).json()["id"]
    kept = api.post("/sobjects/Case/", json={"Subject": "Mine"}, token=rep,
                    headers={"Sforce-Auto-Assign": "FALSE"}).json()["id"]
    assert _owner(api, escalated, "Case") == api.user("testUser@org.com")
    assert _owner(api, calm, "Case") == api.user("otherUser@org.com")
    assert _owner(api, kept, "Case") == api.user("priya.rep@acme.example")


@pytest.mark.parametrize("length", [15, 18])
def test_a_rule_id_runs_that_rule_active_or_not(api, length):
    sample = api.rule("Case/samplerule")  # inactive: IsEscalated True -> testUser
    case_id = api.create("Case", Subject="x", IsEscalated=True,
                         headers={"Sforce-Auto-Assign": sample[:length]})
    assert _owner(api, case_id, "Case") == api.user("testUser@org.com")
    # An inactive rule whose only entry does not match leaves the owner to the default case owner.
    other = api.create("Case", Subject="y", IsEscalated=False,
                       headers={"Sforce-Auto-Assign": sample[:length]})
    assert _owner(api, other, "Case") == api.user(ADMIN)


def test_bad_rule_ids(api):
    malformed = api.post("/sobjects/Lead/", json=INDIA, headers={"Sforce-Auto-Assign": "01Qnot-an-id"})
    assert malformed.status_code == 400 and errors_of(malformed)[0][0] == "MALFORMED_ID"
    foreign = api.post("/sobjects/Lead/", json=INDIA,
                       headers={"Sforce-Auto-Assign": api.rule("Case/Support Routing")})
    assert foreign.status_code == 400 and errors_of(foreign)[0][0] == "INVALID_ASSIGNMENT_RULE"
    assert api.rows("Lead") == []


def test_update_reruns_the_rule_unless_false(api):
    lead_id = api.create("Lead", LastName="Doe", Company="Acme", Country="France")
    assert _owner(api, lead_id) == api.queue("Unassigned_Leads_Queue")
    api.patch(f"/sobjects/Lead/{lead_id}", json={"Country": "India"}, headers={"Sforce-Auto-Assign": "FALSE"})
    assert _owner(api, lead_id) == api.queue("Unassigned_Leads_Queue")
    api.patch(f"/sobjects/Lead/{lead_id}", json={"Title": "CTO"})  # header absent: TRUE
    assert _owner(api, lead_id) == api.queue("India_SMB_Queue")
    api.patch(f"/sobjects/Lead/{lead_id}", json={"AnnualRevenue": 99_000_000},
              headers={"Sforce-Auto-Assign": "TRUE"})
    assert _owner(api, lead_id) == api.queue("Enterprise_India_Queue")


def test_collections_assign_each_record(api):
    records = [{"attributes": {"type": "Lead"}} | INDIA, {"attributes": {"type": "Lead"}} | ENTERPRISE,
               {"attributes": {"type": "Case"}, "Subject": "Help", "IsEscalated": True}]
    created = api.post("/composite/sobjects", json={"records": records}).json()
    assert [r["success"] for r in created] == [True, True, True]
    assert _owner(api, created[0]["id"]) == api.queue("India_SMB_Queue")
    assert _owner(api, created[1]["id"]) == api.queue("Enterprise_India_Queue")
    assert _owner(api, created[2]["id"], "Case") == api.user("testUser@org.com")
    unassigned = api.post("/composite/sobjects", json={"records": records[:1]},
                          headers={"Sforce-Auto-Assign": "false"}).json()
    assert _owner(api, unassigned[0]["id"]) == api.user(ADMIN)
    update = [{"attributes": {"type": "Lead"}, "id": created[0]["id"], "AnnualRevenue": 20_000_000}]
    assert api.patch("/composite/sobjects", json={"records": update}).json()[0]["success"] is True
    assert _owner(api, created[0]["id"]) == api.queue("Enterprise_India_Queue")
    assert api.outbox() == []


def _soap_create_with_user_email(api) -> str:
    """The Enterprise-India lead over SOAP with AssignmentRuleHeader + EmailHeader.triggerUserEmail=true: a
    raw envelope to the SOAP door, or (door not mounted in this build) the core call SOAP makes."""
    envelope = f"""<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
  xmlns:urn="urn:partner.soap.sforce.com"
  xmlns:sobj="urn:sobject.partner.soap.sforce.com"><soapenv:Header>
  <urn:SessionHeader><urn:sessionId>{api.token}</urn:sessionId></urn:SessionHeader>
  <urn:AssignmentRuleHeader><urn:useDefaultRule>true</urn:useDefaultRule></urn:AssignmentRuleHeader>
  <urn:EmailHeader><urn:triggerAutoResponseEmail>false</urn:triggerAutoResponseEmail>
   <urn:triggerOtherEmail>false</urn:triggerOtherEmail><urn:triggerUserEmail>true</urn:triggerUserEmail></urn:EmailHeader>
 </soapenv:Header><soapenv:Body><urn:create><urn:sObjects><sobj:type>Lead</sobj:type>
  <sobj:LastName>Kumar</sobj:LastName><sobj:Company>Tata</sobj:Company><sobj:Country>India</sobj:Country>
  <sobj:AnnualRevenue>50000000</sobj:AnnualRevenue></urn:sObjects></urn:create></soapenv:Body></soapenv:Envelope>"""
    response = api.client.post("/services/Soap/u/59.0", content=envelope,
                               headers={"Content-Type": "text/xml; charset=UTF-8", "SOAPAction": '""'})
    if response.status_code != 404:
        assert response.status_code == 200, response.text
        return re.search(r"<id>(\w{18})</id>", response.text).group(1)
    with calls.api_call(api.demo.db, api.token, api="soap") as call:
        [result] = call.service.create([RecordInput("Lead", {k: str(v) for k, v in ENTERPRISE.items()})],
                                       assignment=ACTIVE_RULE, notify_owner=True, all_or_none=False)
    assert result.success
    return result.id


def test_rest_never_mails_where_soap_with_trigger_user_email_does(api):
    # KB 000384839: EmailHeader exists only in SOAP; REST sends no assignment notification.
    rest_id = api.create("Lead", **ENTERPRISE, headers={"Sforce-Auto-Assign": "TRUE"})
    case_id = api.create("Case", Subject="Help", IsEscalated=True)  # entry with a template, too
    assert _owner(api, rest_id) == api.queue("Enterprise_India_Queue")
    assert _owner(api, case_id, "Case") == api.user("testUser@org.com")
    assert api.outbox() == []
    soap_id = _soap_create_with_user_email(api)
    assert _owner(api, soap_id) == api.queue("Enterprise_India_Queue")
    mail = api.outbox()
    assert mail and {m["record_id"] for m in mail} == {soap_id} and {m["api"] for m in mail} == {"soap"}


def test_a_rest_case_goes_to_the_default_case_owner_even_without_an_active_rule(api):
    """KB 000395506: with Sforce-Auto-Assign TRUE (the default) a REST-created Case goes to the Default Case
    Owner although no case rule is active; SOAP's useDefaultRule leaves the caller as owner (API >= 30.0)."""
    rule = api.rule("Case/Support Routing")
    assert api.client.post(f"/_sfmock/orgs/{api.demo.org.org_id}/rules/{rule}/deactivate").status_code == 200
    caller = api.login("testUser@org.com")
    response = api.post("/sobjects/Case/", json={"Subject": "No rule"}, token=caller)
    assert api.record("Case", response.json()["id"])["OwnerId"] == api.user(ADMIN)  # the Default Case Owner
    kept = api.post("/sobjects/Case/", json={"Subject": "Kept"}, token=caller,
                    headers={"Sforce-Auto-Assign": "FALSE"})
    assert api.record("Case", kept.json()["id"])["OwnerId"] == api.user("testUser@org.com")
    session = calls.login(api.demo.db, "testUser@org.com", PASSWORD, caller_ip=None).session_id
    with calls.api_call(api.demo.db, session, api="soap") as call:
        [soap] = call.service.create([RecordInput("Case", {"Subject": "SOAP"})], assignment=ACTIVE_RULE)
    assert api.record("Case", soap.id)["OwnerId"] == api.user("testUser@org.com")


# --- updates: Sforce-Auto-Assign on PATCH, POST ?_HttpMethod=PATCH, collections PATCH, upsert ---------------
UPDATE_ROUTES = ["patch", "override", "collection", "upsert_by_id"]


def _update(api, route: str, sobject: str, record_id: str, values: dict, header: str | None) -> None:
    """Updates one existing record by one of REST's update routes, with Sforce-Auto-Assign as given."""
    headers = {} if header is None else {"Sforce-Auto-Assign": header}
    if route == "patch":
        response = api.patch(f"/sobjects/{sobject}/{record_id}", json=values, headers=headers)
    elif route == "override":
        response = api.post(f"/sobjects/{sobject}/{record_id}", params={"_HttpMethod": "PATCH"}, json=values,
                            headers=headers)
    elif route == "collection":
        record = {"attributes": {"type": sobject}, "Id": record_id} | values
        response = api.patch("/composite/sobjects", json={"records": [record]}, headers=headers)
        assert response.json()[0]["success"] is True, response.text
    else:
        response = api.patch(f"/sobjects/{sobject}/Id/{record_id}", json=values, headers=headers)
    assert response.status_code in (200, 204), response.text


def _deactivate(api, rule_name: str) -> None:
    rule = api.rule(rule_name)
    assert api.client.post(f"/_sfmock/orgs/{api.demo.org.org_id}/rules/{rule}/deactivate").status_code == 200


@pytest.mark.parametrize("header", [None, "TRUE"])
@pytest.mark.parametrize("route", UPDATE_ROUTES)
def test_an_updated_case_keeps_its_owner_when_no_case_rule_is_active(api, route, header):
    """KB 000395506's Default Case Owner is for REST-*created* Cases: an update with TRUE (or no header) runs
    the active rule, and with none active the owner stays."""
    _deactivate(api, "Case/Support Routing")
    rep = api.login("priya.rep@acme.example", PASSWORD)
    created = api.post("/sobjects/Case/", json={"Subject": "Mine"}, token=rep,
                       headers={"Sforce-Auto-Assign": "FALSE"})
    case_id = created.json()["id"]
    _update(api, route, "Case", case_id, {"Subject": "Still mine"}, header)
    assert _owner(api, case_id, "Case") == api.user("priya.rep@acme.example")


@pytest.mark.parametrize("length", [15, 18])
@pytest.mark.parametrize("route", UPDATE_ROUTES)
def test_an_update_with_a_rule_id_is_not_rerouted(api, route, length):
    """REST guide: a rule id "is applied for created Case or Lead objects"; an update runs no rule."""
    lead_id = api.create("Lead", **INDIA, headers={"Sforce-Auto-Assign": "FALSE"})
    assert _owner(api, lead_id) == api.user(ADMIN)
    _update(api, route, "Lead", lead_id, {"Title": "CTO"}, api.rule("Lead/Standard Routing")[:length])
    assert _owner(api, lead_id) == api.user(ADMIN)
    rep = api.login("priya.rep@acme.example", PASSWORD)
    case_id = api.post("/sobjects/Case/", json={"Subject": "Down", "IsEscalated": True}, token=rep,
                       headers={"Sforce-Auto-Assign": "FALSE"}).json()["id"]
    _update(api, route, "Case", case_id, {"Subject": "Still down"}, api.rule("Case/samplerule")[:length])
    assert _owner(api, case_id, "Case") == api.user("priya.rep@acme.example")


@pytest.mark.parametrize("route", UPDATE_ROUTES)
def test_an_update_with_true_reruns_the_active_rule(api, route):
    lead_id = api.create("Lead", **INDIA, headers={"Sforce-Auto-Assign": "FALSE"})
    _update(api, route, "Lead", lead_id, {"Title": "CTO"}, "TRUE")
    assert _owner(api, lead_id) == api.queue("India_SMB_Queue")
    rep = api.login("priya.rep@acme.example", PASSWORD)
    case_id = api.post("/sobjects/Case/", json={"Subject": "Down", "IsEscalated": True}, token=rep,
                       headers={"Sforce-Auto-Assign": "FALSE"}).json()["id"]
    _update(api, route, "Case", case_id, {"Subject": "Still down"}, "true")
    assert _owner(api, case_id, "Case") == api.user("testUser@org.com")


def test_an_update_with_a_malformed_rule_id_is_still_refused(api):
    lead_id = api.create("Lead", **INDIA)
    refused = api.patch(f"/sobjects/Lead/{lead_id}", json={"Title": "CTO"},
                        headers={"Sforce-Auto-Assign": "005000000000001"})
    assert refused.status_code == 400 and errors_of(refused)[0][0] == "MALFORMED_ID"


def test_upsert_by_external_id_creates_with_the_rule_and_updates_without_it(api):
    """An upsert by external id gives the records it creates the create semantics of the header (the rule id
    runs) and the ones it updates the update semantics (the rule id does not)."""
    path = "/sobjects/Lead/Email/kumar%40tata.example"
    header = {"Sforce-Auto-Assign": api.rule("Lead/Standard Routing")}
    created = api.patch(path, json=INDIA, headers=header)
    assert created.status_code == 201, created.text
    lead_id = created.json()["id"]
    assert _owner(api, lead_id) == api.queue("India_SMB_Queue")
    updated = api.patch(path, json={"Country": "France"}, headers=header)
    assert updated.status_code == 200 and updated.json()["created"] is False
    assert _owner(api, lead_id) == api.queue("India_SMB_Queue")  # not the catch-all's Unassigned_Leads_Queue
    rerun = api.patch(path, json={"Title": "CTO"})  # header absent: TRUE reruns the active rule
    assert rerun.status_code == 200 and _owner(api, lead_id) == api.queue("Unassigned_Leads_Queue")
