"""Every input class the hardening issue found answered with a 500, now answered the Salesforce way, on both
databases: lone surrogates and NUL in JSON values and keys, form fields, query parameters and paths; records
holding characters XML 1.0 cannot carry read through SOAP; SOQL of any size; paths no door serves."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from lxml import etree

from sfmock.core.errors import QueryError
from sfmock.soql import engine
from tests.contract.test_soap_shapes import NS, Soap
from tests.integration.test_rest_fixtures import ADMIN, CLIENT_ID, CLIENT_SECRET, V, api, errors_of

__all__ = ["api"]

JSON = {"Content-Type": "application/json"}
NOT_FOUND = [("NOT_FOUND", "The requested resource does not exist")]


def _leads(api) -> int:
    return len(api.rows("Lead"))


# --- lone surrogates and NUL in JSON ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "shown"), [("a\\ud800b", "a\\ud800b"), ("a\\udfffb", "a\\udfffb"), ("a\\u0000b", "a\\u0000b")]
)
def test_unstorable_characters_in_a_value_are_a_bad_value_on_create_update_and_collections(api, raw, shown):
    before = _leads(api)
    body = '{"LastName":"' + raw + '","Company":"c"}'
    response = api.post("/sobjects/Lead", content=body.encode(), headers=JSON)
    assert response.status_code == 400
    assert errors_of(response) == [
        ("INVALID_TYPE_ON_FIELD_IN_RECORD", f"Last Name: value not of required type: {shown}")
    ]
    lead = api.create("Lead", LastName="Ok", Company="c")
    update = ('{"LastName":"' + raw + '"}').encode()
    patched = api.patch(f"/sobjects/Lead/{lead}", content=update, headers=JSON)
    assert patched.status_code == 400 and errors_of(patched)[0][0] == "INVALID_TYPE_ON_FIELD_IN_RECORD"
    collection = '{"records":[{"attributes":{"type":"Lead"},"LastName":"' + raw + '","Company":"c"}]}'
    response = api.post("/composite/sobjects", content=collection.encode(), headers=JSON)
    assert response.status_code == 200
    [result] = response.json()
    assert (
        result["success"] is False and result["errors"][0]["statusCode"] == "INVALID_TYPE_ON_FIELD_IN_RECORD"
    )
    assert _leads(api) == before + 1 and api.record("Lead", lead)["LastName"] == "Ok"


def test_a_lone_surrogate_echoed_in_an_error_still_renders(api):
    response = api.post("/sobjects/Lead", content=b'{"LastName\\ud800":"a","Company":"c"}', headers=JSON)
    assert response.status_code == 400
    assert json.loads(response.content)[0]["errorCode"] == "INVALID_FIELD"
    assert response.content.isascii()  # written with \uXXXX escapes: a lone surrogate has no UTF-8 form
    status = api.post(
        "/sobjects/Lead", content=b'{"LastName":"a","Company":"c","Status":"x\\ud800"}', headers=JSON
    )
    assert status.status_code == 400 and errors_of(status)[0][0] == "INVALID_TYPE_ON_FIELD_IN_RECORD"


# --- NUL in form fields, query parameters, paths ---------------------------------------------------------
def test_nul_in_oauth_form_fields_and_parameters_is_refused_the_oauth_way(api):
    token = "/services/oauth2/token"
    answer = api.client.post(
        token, data={"grant_type": "client_credentials", "client_id": "a\x00b", "client_secret": "x"}
    )
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_client_id"
    answer = api.client.post(
        token,
        data={
            "grant_type": "password",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "username": "a\x00b",
            "password": "x",
        },
    )
    assert answer.json() == {"error": "invalid_grant", "error_description": "authentication failure"}
    answer = api.client.post("/services/oauth2/revoke", data={"token": "a\x00b"})
    assert answer.status_code == 400 and answer.json()["error"] == "unsupported_token_type"
    for response in (
        api.client.get("/services/oauth2/userinfo", headers={"Authorization": "Bearer a\x00b"}),
        api.client.get("/services/oauth2/userinfo", params={"oauth_token": "a\x00b"}),
    ):
        assert (response.status_code, response.text) == (403, "Bad_OAuth_Token")
    identity = api.client.get("/id/00D%00/005%00", headers={"Authorization": f"Bearer {api.token}"})
    assert (identity.status_code, identity.text) == (403, "Bad_Id")


def test_nul_in_an_external_id_path_finds_nothing(api):
    api.create("Lead", LastName="Ext", Company="c", Email="ext@example.com")
    assert errors_of(api.get("/sobjects/Lead/Email/a%00b")) == NOT_FOUND
    upsert = api.patch("/sobjects/Lead/Email/a%00b", json={"LastName": "z", "Company": "c"})
    assert upsert.status_code == 400 and errors_of(upsert)[0][0] == "INVALID_TYPE_ON_FIELD_IN_RECORD"


def test_nul_in_admin_filters_is_400(api):
    for params in ({"to": "a\x00b"}, {"template": "\x00"}, {"orgId": "\x00"}):
        response = api.client.get("/_sfmock/outbox", params=params, headers={"Host": "127.0.0.1"})
        assert response.status_code == 400 and response.json()["detail"]["error"] == "bad_request"
    journal = api.client.get(
        f"/_sfmock/orgs/{api.demo.org.org_id}/journal", params={"door": "\x00"}, headers={"Host": "127.0.0.1"}
    )
    assert journal.status_code == 400


# --- characters XML 1.0 cannot carry, stored through REST, read through SOAP -----------------------------
@pytest.mark.parametrize("char", ["\x0b", "\x01", "\x1f", "\ufffe"])
def test_a_record_holding_non_xml_characters_reads_through_soap_as_valid_xml(api, char):
    lead = api.create("Lead", LastName=f"Ve{char}rt", Company="Acme")
    assert api.record("Lead", lead)["LastName"] == f"Ve{char}rt"  # REST (JSON) carries it as stored
    soap = Soap(api.client.app)
    session = soap.login()
    retrieve = soap.call(
        f"<u:retrieve><u:fieldList>LastName</u:fieldList><u:sObjectType>Lead</u:sObjectType>"
        f"<u:ids>{lead}</u:ids></u:retrieve>",
        session,
    )
    assert retrieve.status_code == 200
    assert etree.fromstring(retrieve.content).findtext(".//p:result/sf:LastName", namespaces=NS) == "Vert"
    query = soap.call(
        f"<u:query><u:queryString>SELECT LastName FROM Lead WHERE Id = '{lead}'</u:queryString></u:query>",
        session,
    )
    assert query.status_code == 200
    assert etree.fromstring(query.content).findtext(".//p:records/sf:LastName", namespaces=NS) == "Vert"


# --- SOQL of any size ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("joiner", "term", "count"),
    [
        (" OR ", "LastName = 'x{i}'", 996),
        (" OR ", "LastName = 'x{i}'", 1800),
        (" AND ", "LastName != 'x{i}'", 1500),
        (" OR ", "(LastName = 'x{i}' AND City = 'c')", 800),
    ],
)
def test_large_filters_are_answered(api, joiner, term, count):
    lead = api.create("Lead", LastName="x7", Company="c", City="c")
    soql = "SELECT Id FROM Lead WHERE " + joiner.join(term.format(i=i) for i in range(count))
    response = api.get("/query", params={"q": soql})
    assert response.status_code == 200, response.text
    ids = [r["Id"] for r in response.json()["records"]]
    assert (lead in ids) == (joiner == " OR ")


def test_soql_over_the_length_limit_is_malformed_query(api):
    soql = "SELECT Id FROM Lead WHERE " + " OR ".join(f"LastName = 'x{i}'" for i in range(6000))
    assert len(soql) > 100_000
    with api.demo.db.session() as sql, pytest.raises(QueryError) as refused:
        engine.run_query(sql, api.demo.org.org_id, soql)
    assert refused.value.code == "MALFORMED_QUERY"
    assert "cannot be longer than 100,000 characters" in refused.value.message


def test_a_statement_the_database_refuses_for_its_size_is_malformed_query():
    soql = "SELECT Id FROM Lead WHERE Name = 'a'"
    with pytest.raises(QueryError) as refused, engine._within_database_limits(soql):
        raise sa.exc.OperationalError(
            "SELECT", {}, Exception("Expression tree is too large (maximum depth 1000)")
        )
    assert refused.value.code == "MALFORMED_QUERY" and "too complex" in refused.value.message
    with pytest.raises(sa.exc.OperationalError), engine._within_database_limits(soql):
        raise sa.exc.OperationalError("SELECT", {}, Exception("disk I/O error"))


# --- paths no door serves --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [
        "/services/data/%0D%0A/sobjects",
        "/services/nope",
        "/services",
        "/services/data/v59.0/%00",
        "/services/Soap/x/59.0",
    ],
)
def test_unserved_paths_under_services_answer_salesforces_not_found(api, path):
    response = api.get(path)
    assert response.status_code == 404
    assert errors_of(response) == NOT_FOUND


def test_unserved_paths_elsewhere_answer_json(api):
    response = api.client.get("/nope")
    assert response.status_code == 404 and response.json() == {"detail": "Not Found"}


def test_the_session_still_works_after_all_of_it(api):
    assert api.get(f"{V}/limits").status_code == 200
    assert api.login(ADMIN)
