"""OAuth 2.0 on the demo org: the password and client-credentials grants, their failures, userinfo, revoke,
and one kind of session for both doors."""
from __future__ import annotations

import base64
import hashlib
import hmac
import time

import pytest
import sqlalchemy as sa

from sfmock import calls
from sfmock.core.auth import secret_digest
from sfmock.main import create_app
from sfmock.persistence.tables import connected_apps
from tests.integration.test_rest_fixtures import (
    ADMIN,
    BASE,
    CLIENT_ID,
    CLIENT_SECRET,
    JSON_TYPE,
    PASSWORD,
    V,
    api,
    errors_of,
)

__all__ = ["api"]

TOKEN = "/services/oauth2/token"


def _password_form(**changes: str) -> dict[str, str]:
    return {"grant_type": "password", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
            "username": ADMIN, "password": PASSWORD} | changes


def test_password_grant_answers_salesforce_token_shape(api):
    before = int(time.time() * 1000)
    response = api.client.post(TOKEN, data=_password_form())
    assert response.status_code == 200 and response.headers["content-type"] == JSON_TYPE
    assert "no-store" in response.headers["cache-control"]
    body = response.json()
    assert set(body) == {"access_token", "instance_url", "id", "token_type", "issued_at", "signature"}
    org_id, user_id = api.demo.org.org_id, api.user(ADMIN)
    assert body["instance_url"] == BASE and body["token_type"] == "Bearer"
    assert body["id"] == f"{BASE}/id/{org_id}/{user_id}"
    assert body["access_token"].startswith(org_id[:15] + "!")
    assert isinstance(body["issued_at"], str) and before <= int(body["issued_at"]) <= int(time.time() * 1000)
    expected = hmac.new(CLIENT_SECRET.encode(), (body["id"] + body["issued_at"]).encode(),
                        hashlib.sha256).digest()
    assert base64.b64decode(body["signature"]) == expected
    # The token is a session: it works as a Bearer token straight away.
    assert api.get("/sobjects/", token=body["access_token"]).status_code == 200


def test_instance_url_follows_the_request_or_public_url(api, app_db):
    plain = api.client.post(TOKEN, data=_password_form(), headers={"Host": "localhost:8000"})
    assert plain.json()["instance_url"] == "https://localhost:8000"  # scheme of the request, Host header
    from fastapi.testclient import TestClient

    settings = app_db.settings.model_copy(update={"public_url": "https://sfmock.example:9443/"})
    client = TestClient(create_app(settings, app_db.db), base_url="http://127.0.0.1:8000")
    body = client.post(TOKEN, data=_password_form()).json()
    assert body["instance_url"] == "https://sfmock.example:9443"
    assert body["id"].startswith("https://sfmock.example:9443/id/")


def test_chunked_form_body_is_read(api):
    def chunks():
        text = "grant_type=password&username=admin%40acme.example&password=" + PASSWORD
        text += f"&client_id={CLIENT_ID}&client_secret={CLIENT_SECRET}"
        for i in range(0, len(text), 7):
            yield text[i:i + 7].encode()

    response = api.client.post(TOKEN, content=chunks(),
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(("form", "error", "description"), [
    (_password_form(password="sfmock-password"), "invalid_grant", "authentication failure"),  # no token
    (_password_form(password="wrongSFMOCKTOKEN"), "invalid_grant", "authentication failure"),
    (_password_form(username="nobody@acme.example"), "invalid_grant", "authentication failure"),
    (_password_form(client_id="no-such-client"), "invalid_client_id", "client identifier invalid"),
    (_password_form(client_secret="wrong"), "invalid_client", "invalid client credentials"),
    ({k: v for k, v in _password_form().items() if k != "client_secret"}, "invalid_client",
     "invalid client credentials"),
    ({k: v for k, v in _password_form().items() if k != "grant_type"}, "unsupported_grant_type",
     "grant type not supported"),
    (_password_form(grant_type="authorization_code"), "invalid_grant", "invalid authorization code"),
    (_password_form(grant_type="urn:ietf:params:oauth:grant-type:saml2-bearer"), "unsupported_grant_type",
     "grant type not supported"),
    ({"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": "nope"}, "invalid_client",
     "invalid client credentials"),
    ({"grant_type": "client_credentials", "client_id": "ck", "client_secret": "cs"}, "invalid_client_id",
     "client identifier invalid"),
])
def test_token_failures_are_400_oauth_errors(api, form, error, description):
    response = api.client.post(TOKEN, data=form)
    assert response.status_code == 400 and response.headers["content-type"] == JSON_TYPE
    assert response.json() == {"error": error, "error_description": description}


def test_client_credentials_in_body_or_basic_run_as_the_apps_user(api):
    in_body = api.client.post(TOKEN, data={"grant_type": "client_credentials", "client_id": CLIENT_ID,
                                           "client_secret": CLIENT_SECRET})
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    in_header = api.client.post(TOKEN, data={"grant_type": "client_credentials"},
                                headers={"Authorization": f"Basic {basic}"})
    for response in (in_body, in_header):
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["token_type"] == "Bearer" and body["id"].endswith(f"/{api.user(ADMIN)}")
        info = api.client.get("/services/oauth2/userinfo",
                              headers={"Authorization": f"Bearer {body['access_token']}"})
        assert info.json()["preferred_username"] == ADMIN
    wrong = base64.b64encode(f"{CLIENT_ID}:nope".encode()).decode()
    refused = api.client.post(TOKEN, data={"grant_type": "client_credentials"},
                              headers={"Authorization": f"Basic {wrong}"})
    assert refused.json() == {"error": "invalid_client", "error_description": "invalid client credentials"}


def test_client_credentials_without_run_as_user_is_refused(api):
    with api.demo.db.session() as sql:
        sql.execute(sa.insert(connected_apps).values(client_id="no-runner", org_id=api.demo.org.org_id,
                                                     name="No runner", client_secret=secret_digest("s"),
                                                     run_as_user_id=None))
    response = api.client.post(TOKEN, data={"grant_type": "client_credentials", "client_id": "no-runner",
                                            "client_secret": "s"})
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_grant",
                               "error_description": "no client credentials user enabled"}


def test_userinfo(api):
    response = api.client.get("/services/oauth2/userinfo", headers={"Authorization": f"Bearer {api.token}"})
    assert response.status_code == 200
    info = response.json()
    user_id, org_id = api.user(ADMIN), api.demo.org.org_id
    assert info["user_id"] == user_id and info["organization_id"] == org_id
    assert info["sub"] == f"{BASE}/id/{org_id}/{user_id}"
    assert (info["preferred_username"], info["email"], info["name"]) == (ADMIN, ADMIN, "Ada Admin")
    assert info["zoneinfo"] == "America/Los_Angeles" and info["utcOffset"] in (-28800000, -25200000)
    assert info["urls"]["rest"] == f"{BASE}/services/data/v{{version}}/"


@pytest.mark.parametrize(("headers", "text"), [({}, "Missing_OAuth_Token"),
                                               ({"Authorization": "Bearer 00Dbogus!x"}, "Bad_OAuth_Token")])
def test_userinfo_refuses_missing_or_bad_tokens(api, headers, text):
    response = api.client.get("/services/oauth2/userinfo", headers=headers)
    assert (response.status_code, response.text) == (403, text)


def test_revoke_ends_the_session_for_rest(api):
    token = api.login()
    assert api.get("/sobjects/", token=token).status_code == 200
    response = api.client.post("/services/oauth2/revoke", data={"token": token})
    assert response.status_code == 200 and response.content == b""
    after = api.get("/sobjects/", token=token)
    assert after.status_code == 401
    assert after.json() == [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}]
    again = api.client.get("/services/oauth2/revoke", params={"token": "not-a-token"})
    assert again.status_code == 400
    assert again.json()["error"] == "unsupported_token_type"


def test_a_soap_login_session_works_as_a_bearer_token(api):
    # sfmock.calls.login is what SOAP login() runs: the sessionId it hands out is a REST token too.
    session_id = calls.login(api.demo.db, ADMIN, PASSWORD, caller_ip="127.0.0.1").session_id
    response = api.get("/sobjects/Lead/describe", token=session_id)
    assert response.status_code == 200 and response.json()["name"] == "Lead"


def test_an_oauth_token_works_as_a_soap_session_id(api):
    envelope = f"""<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
  xmlns:urn="urn:partner.soap.sforce.com">
 <soapenv:Header><urn:SessionHeader><urn:sessionId>{api.token}</urn:sessionId></urn:SessionHeader></soapenv:Header>
 <soapenv:Body><urn:getUserInfo/></soapenv:Body></soapenv:Envelope>"""
    response = api.client.post("/services/Soap/u/59.0", content=envelope,
                               headers={"Content-Type": "text/xml; charset=UTF-8", "SOAPAction": '""'})
    if response.status_code == 404:
        # The SOAP door is not mounted in this build: the shared session check is what SOAP would run.
        org, user = calls.session_user(api.demo.db, api.token)
        assert (org.org_id, user["Id"]) == (api.demo.org.org_id, api.user(ADMIN))
        return
    assert response.status_code == 200, response.text
    assert api.user(ADMIN) in response.text


def test_expired_or_unknown_bearer_is_401_array(api):
    for token in ("00D000000000001!nope", "garbage"):
        response = api.get("/query", token=token, params={"q": "SELECT Id FROM Lead"})
        assert response.status_code == 401
        assert errors_of(response) == [("INVALID_SESSION_ID", "Session expired or invalid")]
    basic = api.get(f"{V}/limits", headers={"Authorization": "Basic abc"})
    assert basic.status_code == 401 and "sforce-limit-info" not in basic.headers


def test_the_identity_url_answers_for_its_token(api):
    token = api.client.post("/services/oauth2/token", data={
        "grant_type": "password", "client_id": "sfmock-demo-client", "client_secret": "sfmock-demo-secret",
        "username": "admin@acme.example", "password": "sfmock-passwordSFMOCKTOKEN"}).json()
    identity_url = token["id"].replace("http://testserver", "")
    bearer = {"Authorization": f"Bearer {token['access_token']}"}
    answer = api.client.get(identity_url, params={"version": "59.0"}, headers=bearer)
    assert answer.status_code == 200
    body = answer.json()
    assert (body["id"], body["username"], body["display_name"], body["organization_id"]) == (
        token["id"], "admin@acme.example", "Ada Admin", api.demo.org.org_id)
    assert body["urls"]["rest"].endswith("/services/data/v59.0/")
    by_param = api.client.get(identity_url, params={"oauth_token": token["access_token"]})
    assert by_param.status_code == 200
    assert api.client.get(identity_url).text == "Missing_OAuth_Token"
    assert api.client.get(identity_url, params={"oauth_token": "00D!nope"}).text == "Bad_OAuth_Token"
    other_org = identity_url.replace(api.demo.org.org_id, "00D00100000000ZAAA")
    refused = api.client.get(other_org, headers=bearer)
    assert (refused.status_code, refused.text) == (403, "Bad_Id")


def test_sessions_last_as_long_as_the_apps_setting_says(api, monkeypatch):
    import datetime as dt

    import sqlalchemy as sa

    from sfmock.persistence.tables import sessions

    monkeypatch.setattr(api.client.app.state.settings, "session_seconds", 60)
    token = api.login()
    with api.demo.db.session() as s:
        row = s.execute(sa.select(sessions.c.created_at, sessions.c.expires_at).where(
            sessions.c.token == secret_digest(token))).one()
    assert row.expires_at - row.created_at == dt.timedelta(seconds=60)
