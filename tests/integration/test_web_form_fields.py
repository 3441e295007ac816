"""Web-to-Lead / Web-to-Case beyond the basics (SQLite and PostgreSQL), on the Initech org: custom fields
posted under their 00N field ids, reCAPTCHA when the org requires it, `debug`/`debugEmail`, and a Case
formula reading the org's own Account.Region__c."""
from __future__ import annotations

import dataclasses

import pytest
from fastapi.testclient import TestClient

from sfmock.calls import api_call, login
from sfmock.core.results import RecordInput
from sfmock.orgs.install import InstalledOrg
from sfmock.persistence.orgs import open_org, save_settings
from tests.conftest import DemoDb
from tests.integration.test_rules_mail import PASSWORD, client, get, initech, outbox

__all__ = ["client", "initech"]  # fixtures used here
W2L = "/servlet/servlet.WebToLead?encoding=UTF-8"
W2C = "/servlet/servlet.WebToCase?encoding=UTF-8"


def field_id(demo: DemoDb, org: InstalledOrg, sobject: str, name: str) -> str:
    with demo.db.session() as session:
        return open_org(session, org.org_id).schema.get(sobject).field(name).field_id


def test_custom_fields_posted_by_their_00N_ids(client: TestClient, app_db: DemoDb,
                                               initech: InstalledOrg) -> None:
    interest = field_id(app_db, initech, "Lead", "Product_Interest__c")
    newsletter = field_id(app_db, initech, "Lead", "Newsletter__c")
    assert interest.startswith("00N") and len(interest) == 18 and interest != newsletter
    # The generated form names a custom field by its 15-char id; the 18-char form is taken too.
    client.post(W2L, data={"oid": initech.org_id[:15], "last_name": "Smith", "company": "Chotchkie's",
                           interest[:15]: "Jump to Conclusions Mat", newsletter: "1",
                           "00N000000000000": "an id no field has"})
    [lead] = get(app_db, initech, "Lead")
    assert (lead["Product_Interest__c"], lead["Newsletter__c"]) == ("Jump to Conclusions Mat", True)
    # A Case field's id posted to Web-to-Lead names nothing there.
    case_field = field_id(app_db, initech, "Case", "Printer_Model__c")
    client.post(W2L, data={"oid": initech.org_id[:15], "last_name": "Jones", "company": "X",
                           case_field[:15]: "LaserJet"})
    assert "LaserJet" not in str(get(app_db, initech, "Lead", LastName="Jones"))


def test_field_ids_stay_the_same_across_reloads_and_differ_between_orgs(app_db: DemoDb,
                                                                        initech: InstalledOrg) -> None:
    from sfmock.persistence import schemas

    first = field_id(app_db, initech, "Lead", "Product_Interest__c")
    schemas.forget()  # the schema built again from the stored spec, as a new process would
    assert field_id(app_db, initech, "Lead", "Product_Interest__c") == first
    demo_region = field_id(app_db, app_db.org, "Lead", "Region__c")
    assert demo_region.startswith("00N") and demo_region[3:6] != first[3:6]  # each org's number


def _require_recaptcha(demo: DemoDb, org: InstalledOrg) -> None:
    with demo.db.session() as session:
        store = open_org(session, org.org_id)
        save_settings(session, dataclasses.replace(store.org, web_to_lead_recaptcha=True,
                                                   web_to_case_recaptcha=True))


@pytest.mark.parametrize(("path", "org_key", "sobject"), [(W2L, "oid", "Lead"), (W2C, "orgid", "Case")])
def test_recaptcha_required_drops_posts_without_a_token(client: TestClient, app_db: DemoDb,
                                                        initech: InstalledOrg, path: str, org_key: str,
                                                        sobject: str) -> None:
    _require_recaptcha(app_db, initech)
    base = {org_key: initech.org_id[:15], "retURL": "https://initech.example/thanks", "last_name": "Spam",
            "company": "Spam Inc", "subject": "Spam",
            "captcha_settings": '{"keyname":"initech","fallback":"true","orgId":"' + initech.org_id[:15]
            + '","ts":""}'}
    for token in (None, "", "  "):
        form = base | ({} if token is None else {"g-recaptcha-response": token})
        response = client.post(path, data=form)
        # Dropped silently: the same redirect, nothing created, nobody mailed.
        assert response.status_code == 200 and "URL=https://initech.example/thanks" in response.text
    assert get(app_db, initech, sobject) == [] and outbox(app_db, initech) == []
    client.post(path, data=base | {"g-recaptcha-response": "03AGdBq24-token"})
    assert len(get(app_db, initech, sobject)) == 1


def test_debug_email_gets_what_became_of_the_post(client: TestClient, app_db: DemoDb,
                                                  initech: InstalledOrg) -> None:
    oid = initech.org_id[:15]
    client.post(W2L, data={"oid": oid, "last_name": "Smith", "company": "TEST Co", "debug": "1",
                           "debugEmail": "webmaster@initech.example"})
    [lead] = get(app_db, initech, "Lead")
    # Invalid (Last Name over 80 characters): nothing is created and the debug mail says why.
    client.post(W2L, data={"oid": oid, "last_name": "B" * 81, "company": "X", "debug": "1",
                           "debugEmail": "webmaster@initech.example"})
    # debugEmail without debug=1 mails nothing.
    client.post(W2L, data={"oid": oid, "last_name": "Quiet", "company": "TEST Co",
                           "debugEmail": "webmaster@initech.example"})
    with app_db.db.session() as session:
        from sfmock.persistence.outbox import list_mail
        debug = [(m["recipient"], m["subject"], m["body"], m["record_id"], m["api"])
                 for m in list_mail(session, org_id=initech.org_id) if m["reason"] == "web_debug"]
    assert debug == [
        ("webmaster@initech.example", "Web-to-Lead debug: created",
         f"Salesforce created this lead: {lead['Id']}\n\noid: {oid}\nlast_name: Smith\ncompany: TEST Co\n"
         "debug: 1\ndebugEmail: webmaster@initech.example", lead["Id"], "web"),
        ("webmaster@initech.example", "Web-to-Lead debug: failed",
         "Salesforce could not create this lead because of the reason below.\n"
         "Reason: Last Name: data value too large: " + "B" * 81 + " (max length=80)\n\n"
         f"oid: {oid}\nlast_name: {'B' * 81}\ncompany: X\ndebug: 1\n"
         "debugEmail: webmaster@initech.example", "", "web"),
    ]


def test_web_to_case_formula_on_the_accounts_custom_field(client: TestClient, app_db: DemoDb,
                                                          initech: InstalledOrg) -> None:
    bill = initech.usernames["bill@initech.example"]
    session_id = login(app_db.db, bill, PASSWORD, caller_ip=None).session_id
    with api_call(app_db.db, session_id, api="soap") as call:
        [account] = call.service.create([RecordInput("Account", {"Name": "Initrode", "Region__c": "EMEA"})])
        [contact] = call.service.create([RecordInput("Contact", {
            "LastName": "Portman", "AccountId": account.id, "Email": "portman@initrode.example"})])
        assert account.success and contact.success
    client.post(W2C, data={"orgid": initech.org_id[:15], "email": "portman@initrode.example",
                           "subject": "Toner everywhere"})
    [case] = get(app_db, initech, "Case")
    # Entry 3, `Account.Region__c = "EMEA"`: the matched Contact's Account is in EMEA.
    assert (case["ContactId"], case["AccountId"]) == (contact.id, account.id)
    assert case["OwnerId"] == initech.user_ids["peter@initech.example"]


def test_a_lookup_cannot_be_filled_through_a_form(client: TestClient, app_db: DemoDb) -> None:
    """The demo org's Lead.Partner_Account__c is a lookup: posted by id or by name, it is ignored."""
    admin = login(app_db.db, "admin@acme.example", "sfmock-passwordSFMOCKTOKEN", caller_ip=None)
    session_id = admin.session_id
    with api_call(app_db.db, session_id, api="soap") as call:
        [account] = call.service.create([RecordInput("Account", {"Name": "Partner Co"})])
    partner = field_id(app_db, app_db.org, "Lead", "Partner_Account__c")
    client.post(W2L, data={"oid": app_db.org.org_id[:15], "last_name": "Lookup", "company": "X",
                           partner[:15]: account.id, "Partner_Account__c": account.id})
    [lead] = get(app_db, app_db.org, "Lead", LastName="Lookup")
    assert lead["Partner_Account__c"] is None
