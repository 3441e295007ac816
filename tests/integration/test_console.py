"""The web console's pages, in-process: records with owners, the rule entry that explains the owner, the mail
viewer, the journal with headers, setup, and the buttons."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from sfmock.calls import api_call, login
from sfmock.core.options import ACTIVE_RULE
from sfmock.core.results import RecordInput
from sfmock.main import create_app
from tests.conftest import DemoDb

ENTERPRISE = {"LastName": "Smith", "Company": "Acme", "Country": "India", "AnnualRevenue": "20000000"}


@pytest.fixture
def client(app_db: DemoDb) -> TestClient:
    # A host the /_sfmock guard serves (loopback), as a real server is reached.
    return TestClient(create_app(app_db.settings, app_db.db), base_url="http://127.0.0.1:8000")


def _lead(demo: DemoDb) -> str:
    session = login(demo.db, "admin@acme.example", "sfmock-passwordSFMOCKTOKEN", caller_ip=None).session_id
    with api_call(demo.db, session, api="soap", operation="create") as call:
        [result] = call.service.create([RecordInput("Lead", ENTERPRISE)], assignment=ACTIVE_RULE,
                                       notify_owner=True)
        call.journal.note_results([result])
    return result.id


def test_pages_show_owner_rule_entry_mail_and_journal(client: TestClient, app_db: DemoDb) -> None:
    org = app_db.org.org_id
    lead_id = _lead(app_db)
    home = client.get("/_sfmock/console/")
    assert home.status_code == 200 and f"/_sfmock/console/orgs/{org}" in home.text
    leads = client.get(f"/_sfmock/console/orgs/{org}", params={"sobject": "Lead", "q": "acme"})
    assert lead_id in leads.text and "Queue: Enterprise India Queue" in leads.text
    assert lead_id not in client.get(f"/_sfmock/console/orgs/{org}", params={"q": "nobody"}).text
    page = client.get(f"/_sfmock/console/orgs/{org}/records/{lead_id}").text
    assert '<strong id="owner">Queue: Enterprise India Queue</strong>' in page
    assert '<span id="rule-entry">entry 1</span>' in page
    assert (
        "(1) Lead.Country equals India; (2) Lead.AnnualRevenue greaterThan 10000000 — logic: 1 AND 2" in page
    )
    assert "The record's owner is the one this entry named." in page
    assert "Recorded when the rule ran: soap create at" in page
    assert page.count('class="mail"') == 3
    mail = client.get(f"/_sfmock/console/orgs/{org}/outbox").text
    assert mail.count('class="mail"') == 3 and "priya.rep@acme.example" in mail
    journal = client.get(f"/_sfmock/console/orgs/{org}/journal").text
    assert "create" in journal and lead_id in journal
    assert "Standard Routing" in client.get(f"/_sfmock/console/orgs/{org}/setup").text
    cleared = client.post(f"/_sfmock/console/orgs/{org}/clear-outbox", follow_redirects=False)
    assert cleared.status_code == 303 and cleared.headers["location"].endswith(f"/_sfmock/console/orgs/{org}")
    assert client.get(f"/_sfmock/console/orgs/{org}/outbox").text.count('class="mail"') == 0
    client.post(f"/_sfmock/console/orgs/{org}/reset")
    assert lead_id not in client.get(f"/_sfmock/console/orgs/{org}").text


def test_the_rule_entry_is_the_one_recorded_when_the_rule_ran(client: TestClient, app_db: DemoDb) -> None:
    """Issue 16: the console shows the entry that assigned the record at the time, even once the rule has been
    deactivated since; a record no rule ran on is explained by evaluating the rule now."""
    org = app_db.org.org_id
    lead_id = _lead(app_db)
    rule_id = next(r["Id"] for r in client.get(f"/_sfmock/orgs/{org}/rules").json() if r["Active"]
                   and r["SobjectType"] == "Lead")
    assert client.post(f"/_sfmock/orgs/{org}/rules/{rule_id}/deactivate").status_code == 200
    page = client.get(f"/_sfmock/console/orgs/{org}/records/{lead_id}").text
    why = "(1) Lead.Country equals India; (2) Lead.AnnualRevenue greaterThan 10000000 — logic: 1 AND 2"
    assert '<span id="rule-entry">entry 1</span>' in page and "Standard Routing" in page and why in page
    assert "Recorded when the rule ran: soap create at" in page
    [entry] = [j for j in client.get(f"/_sfmock/orgs/{org}/journal").json() if lead_id in j["record_ids"]]
    assert entry["assignments"] == [{"rule": "Standard Routing", "rule_id": rule_id, "entry": 1,
                                     "why": why,
                                     "assignee_id": entry["assignments"][0]["assignee_id"],
                                     "template": "unfiled$public/New_enterprise_lead"}]
    assert entry["assignments"][0]["assignee_id"].startswith("00G")
    assert client.post(f"/_sfmock/orgs/{org}/rules/{rule_id}/activate").status_code == 200
    session = login(app_db.db, "admin@acme.example", "sfmock-passwordSFMOCKTOKEN", caller_ip=None).session_id
    with api_call(app_db.db, session, api="soap", operation="create") as call:
        [plain] = call.service.create([RecordInput("Lead", ENTERPRISE)])
        call.journal.note_results([plain])
    page = client.get(f"/_sfmock/console/orgs/{org}/records/{plain.id}").text
    assert "No journalled call ran a rule on this record: evaluated on the record as it" in page
    assert "The record's owner is not the one this entry names" in page


def test_unknown_org_and_record_are_404(client: TestClient, app_db: DemoDb) -> None:
    assert client.get("/_sfmock/console/orgs/00D000000000009AAA").status_code == 404
    org = app_db.org.org_id
    assert client.get(f"/_sfmock/console/orgs/{org}/records/00Q000000000001AAA").status_code == 404
    assert client.get(f"/_sfmock/console/orgs/{org}", params={"sobject": "Account"}).status_code == 400
