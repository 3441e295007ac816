"""simple-salesforce, unmodified, against a real sfmock server over HTTPS (it forces https:// on every REST
call).

simple-salesforce builds its login URLs as https://{domain}.salesforce.com/...; a `domain` ending in "?_="
turns that suffix into a query string, so its own login code reaches sfmock. The client trusts sfmock's
generated CA through REQUESTS_CA_BUNDLE (and a requests session with verify=<ca file>).
"""
from __future__ import annotations

from urllib.parse import urlparse

import pytest
import requests
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceMalformedRequest, SalesforceMoreThanOneRecord

pytestmark = pytest.mark.e2e

ADMIN, PASSWORD, TOKEN = "admin@acme.example", "sfmock-password", "SFMOCKTOKEN"
CLIENT_ID, CLIENT_SECRET = "sfmock-demo-client", "sfmock-demo-secret"
INDIA = {"LastName": "Kumar", "Company": "Tata", "Country": "India"}


def _session(server) -> requests.Session:
    session = requests.Session()
    session.verify = str(server.ca_file)
    return session


@pytest.fixture(autouse=True)
def _trust_sfmock_ca(live_server, monkeypatch) -> None:
    # requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE override a session's `verify`: point them at the CA.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(live_server.ca_file))
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)


def _host(server) -> str:
    return urlparse(server.https_url).netloc


@pytest.fixture
def sf(fresh_server) -> Salesforce:
    """Logged in through simple-salesforce's own OAuth username-password flow."""
    return Salesforce(username=ADMIN, password=PASSWORD + TOKEN, consumer_key=CLIENT_ID,
                      consumer_secret=CLIENT_SECRET, domain=f"{_host(fresh_server)}/services/oauth2/token?_=",
                      session=_session(fresh_server))


def _queue_id(sf: Salesforce, developer_name: str) -> str:
    return sf.query(f"SELECT Id FROM Group WHERE DeveloperName = '{developer_name}'")["records"][0]["Id"]


def _my_id(sf: Salesforce) -> str:
    return sf.query(f"SELECT Id FROM User WHERE Username = '{ADMIN}'")["records"][0]["Id"]


def test_create_runs_the_active_rule_and_sends_no_mail(sf, fresh_server):
    result = sf.Lead.create(INDIA)
    assert result["success"] is True and result["errors"] == [] and result["id"].startswith("00Q")
    record = sf.Lead.get(result["id"])
    assert record["OwnerId"] == _queue_id(sf, "India_SMB_Queue")
    assert record["attributes"]["type"] == "Lead"
    assert fresh_server.outbox() == []  # KB 000384839: no assignment notification over REST


def test_auto_assign_false_keeps_the_caller(sf):
    result = sf.Lead.create(INDIA, headers={"Sforce-Auto-Assign": "FALSE"})
    assert sf.Lead.get(result["id"])["OwnerId"] == _my_id(sf)


def test_query_with_a_relationship(sf):
    lead_id = sf.Lead.create(INDIA)["id"]
    found = sf.query(f"SELECT Id, OwnerId, Owner.Name FROM Lead WHERE Id = '{lead_id}'")
    assert found["totalSize"] == 1 and found["done"] is True
    [record] = found["records"]
    assert record["Id"] == lead_id and record["Owner"]["Name"] == "India SMB Queue"
    assert record["OwnerId"] == _queue_id(sf, "India_SMB_Queue")


def test_query_all_pages_through_2500_records(sf):
    for batch in range(13):
        records = [{"attributes": {"type": "Lead"}, "LastName": f"L{batch:02d}-{i:03d}", "Company": "Bulk"}
                   for i in range(200 if batch < 12 else 100)]
        results = sf.restful("composite/sobjects", method="POST",
                             json={"allOrNone": True, "records": records})
        assert all(r["success"] for r in results)
    first = sf.query("SELECT Id FROM Lead WHERE Company = 'Bulk'")
    assert first["totalSize"] == 2500 and first["done"] is False and len(first["records"]) == 2000
    every = sf.query_all("SELECT Id, LastName FROM Lead WHERE Company = 'Bulk'")
    assert every["totalSize"] == 2500 and len({r["Id"] for r in every["records"]}) == 2500


def test_missing_company_is_malformed_request(sf):
    with pytest.raises(SalesforceMalformedRequest) as caught:
        sf.Lead.create({"LastName": "NoCompany"})
    assert caught.value.status == 400
    assert caught.value.content == [{"message": "Required fields are missing: [Company]",
                                     "errorCode": "REQUIRED_FIELD_MISSING", "fields": ["Company"]}]


def test_update_delete_upsert_and_describe(sf):
    lead_id = sf.Lead.create({"LastName": "Doe", "Company": "Acme", "Email": "dup@acme.example"})["id"]
    assert sf.Lead.update(lead_id, {"Title": "CTO"}) == 204
    assert sf.Lead.get(lead_id)["Title"] == "CTO"
    assert sf.Lead.upsert("Email/new@acme.example", {"LastName": "New", "Company": "Acme"}) == 201
    sf.Lead.create({"LastName": "Dup", "Company": "Acme", "Email": "dup@acme.example"})
    with pytest.raises(SalesforceMoreThanOneRecord):
        sf.Lead.upsert("Email/dup@acme.example", {"Title": "x"})
    assert sf.Lead.describe()["name"] == "Lead"
    assert sf.Lead.delete(lead_id) == 204
    assert sf.query(f"SELECT COUNT() FROM Lead WHERE Id = '{lead_id}'")["totalSize"] == 0


def test_client_relogs_in_after_its_session_is_revoked(sf, fresh_server):
    # simple-salesforce re-logs in on a 401 whose body is a JSON array with INVALID_SESSION_ID.
    old = sf.session_id
    revoked = requests.post(f"{fresh_server.https_url}/services/oauth2/revoke", data={"token": old},
                            verify=str(fresh_server.ca_file), timeout=30)
    assert revoked.status_code == 200
    assert sf.Lead.create(INDIA)["success"] is True
    assert sf.session_id != old


def test_direct_session_from_client_credentials(fresh_server):
    token = requests.post(f"{fresh_server.https_url}/services/oauth2/token", timeout=30,
                          verify=str(fresh_server.ca_file), auth=(CLIENT_ID, CLIENT_SECRET),
                          data={"grant_type": "client_credentials"}).json()
    sf = Salesforce(instance_url=token["instance_url"], session_id=token["access_token"],
                    session=_session(fresh_server))
    assert token["instance_url"] == fresh_server.https_url
    assert sf.query("SELECT COUNT() FROM Lead")["totalSize"] == 0
    assert sf.Case.create({"Subject": "Help", "IsEscalated": True})["success"] is True


def test_soap_login_with_security_token(fresh_server):
    # simple-salesforce's default login: SOAP login() on the Partner endpoint, then REST on the serverUrl
    # host.
    sf = Salesforce(username=ADMIN, password=PASSWORD, security_token=TOKEN,
                    domain=f"{_host(fresh_server)}/services/Soap/u/59.0?_=", session=_session(fresh_server))
    assert sf.sf_instance == _host(fresh_server)
    assert sf.Lead.create(INDIA)["success"] is True
    assert fresh_server.outbox() == []


def test_format_of_aggregates(sf):
    """SOQL reference, "FORMAT()": `SELECT FORMAT(MIN(closedate)) Amt FROM opportunity`: an aggregate shown
    as text (en_US), named by its alias or exprN."""
    ids = [sf.Lead.create(INDIA | {"AnnualRevenue": revenue})["id"] for revenue in (1500, 2250000)]
    quoted = ", ".join(f"'{i}'" for i in ids)
    found = sf.query(f"SELECT FORMAT(SUM(AnnualRevenue)) total, FORMAT(COUNT(Id)), MAX(AnnualRevenue) "
                     f"FROM Lead WHERE Id IN ({quoted})")
    assert found["records"] == [{"attributes": {"type": "AggregateResult"}, "total": "$2,251,500.00",
                                 "expr0": "2", "expr1": 2250000}]
