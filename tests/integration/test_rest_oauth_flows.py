"""OAuth flows beyond the password: web server with PKCE (the login page), refresh token (also after a session
expired), JWT bearer (RS256 against the connected app's certificate), revoke and introspect."""
from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import sqlalchemy as sa
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from sfmock.persistence.tables import sessions
from tests.integration.test_rest_fixtures import ADMIN, BASE, CLIENT_ID, CLIENT_SECRET, api, errors_of

__all__ = ["api"]

TOKEN = "/services/oauth2/token"
KEY = Path(__file__).parents[1] / "e2e" / "jwt" / "demo-server.key"
REDIRECT = "http://localhost:1717/OauthRedirect"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def jwt(claims: dict, key_path: Path = KEY, alg: str = "RS256", key=None) -> str:
    key = key or serialization.load_pem_private_key(key_path.read_bytes(), None)
    signed = f"{_b64(json.dumps({'alg': alg}).encode())}.{_b64(json.dumps(claims).encode())}"
    return signed + "." + _b64(key.sign(signed.encode(), padding.PKCS1v15(), hashes.SHA256()))


def _claims(**changes) -> dict:
    return {"iss": CLIENT_ID, "sub": ADMIN, "aud": "https://login.salesforce.com",
            "exp": int(time.time()) + 300} | changes


def _web_login(api, client_id: str = "PlatformCLI", challenge: str | None = None) -> str:
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT, "state": "xyz",
              "scope": "refresh_token api web",
              "prompt": "login"} | ({"code_challenge": challenge} if challenge else {})
    page = api.client.get("/services/oauth2/authorize", params=params)
    assert page.status_code == 200 and 'name="password"' in page.text and 'value="xyz"' in page.text
    wrong = api.client.post("/services/oauth2/authorize",
                            data=params | {"username": ADMIN, "password": "nope"},
                            follow_redirects=False)
    assert wrong.status_code == 200 and "Please check your username and password" in wrong.text
    done = api.client.post("/services/oauth2/authorize", data=params | {"username": ADMIN,
                                                                        "password": "sfmock-password"},
                           follow_redirects=False)
    assert done.status_code == 302
    target = urlsplit(done.headers["location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == REDIRECT
    query = parse_qs(target.query)
    assert query["state"] == ["xyz"]
    return query["code"][0]


def test_web_server_flow_with_pkce_then_refresh(api):
    verifier = _b64(secrets.token_bytes(128))
    challenge = _b64(hashlib.sha256(verifier.encode()).digest())
    code = _web_login(api, challenge=challenge)
    bad = api.client.post(TOKEN,
                          data={"grant_type": "authorization_code", "code": code, "client_id": "PlatformCLI",
                                       "redirect_uri": REDIRECT, "code_verifier": "wrong"})
    assert bad.json() == {"error": "invalid_grant", "error_description": "invalid code verifier"}
    code = _web_login(api, challenge=challenge)
    answer = api.client.post(TOKEN, data={"grant_type": "authorization_code", "code": code,
                                          "client_id": "PlatformCLI", "redirect_uri": REDIRECT,
                                          "code_verifier": verifier})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["refresh_token"].startswith("5Aep") and body["instance_url"] == BASE
    assert body["id"] == f"{BASE}/id/{api.demo.org.org_id}/{api.user(ADMIN)}"
    again = api.client.post(TOKEN, data={"grant_type": "authorization_code", "code": code,
                                         "client_id": "PlatformCLI", "redirect_uri": REDIRECT,
                                         "code_verifier": verifier})
    assert again.json()["error"] == "invalid_grant"  # a code works once

    # The session expires: REST says INVALID_SESSION_ID; the refresh token brings a new one.
    with api.demo.db.session() as sql:
        sql.execute(sa.update(sessions).values(expires_at=datetime.now(UTC).replace(tzinfo=None)
                                               - timedelta(seconds=1)))
    expired = api.get("/limits", token=body["access_token"])
    assert expired.status_code == 401 and errors_of(expired) == [("INVALID_SESSION_ID",
                                                                  "Session expired or invalid")]
    refreshed = api.client.post(TOKEN,
                                data={"grant_type": "refresh_token", "refresh_token": body["refresh_token"],
                                             "client_id": "PlatformCLI"})
    assert refreshed.status_code == 200, refreshed.text
    assert "refresh_token" not in refreshed.json()
    assert api.get("/limits", token=refreshed.json()["access_token"]).status_code == 200

    # Introspect, then revoke the refresh token: it no longer refreshes.
    seen = api.client.post("/services/oauth2/introspect", data={
        "token": body["refresh_token"], "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}).json()
    assert seen["active"] is True and seen["token_type"] == "refresh_token" and seen["username"] == ADMIN
    assert api.client.post("/services/oauth2/revoke",
                           data={"token": body["refresh_token"]}).status_code == 200
    dead = api.client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": body["refresh_token"],
                                        "client_id": "PlatformCLI"})
    assert dead.status_code == 400 and dead.json()["error"] == "invalid_grant"
    gone = api.client.post("/services/oauth2/introspect", data={
        "token": body["refresh_token"], "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}).json()
    assert gone == {"active": False}


def _code_exchange(api) -> dict:
    verifier = _b64(secrets.token_bytes(64))
    code = _web_login(api, challenge=_b64(hashlib.sha256(verifier.encode()).digest()))
    answer = api.client.post(TOKEN, data={"grant_type": "authorization_code", "code": code,
                                          "code_verifier": verifier, "client_id": "PlatformCLI",
                                          "redirect_uri": REDIRECT})
    assert answer.status_code == 200, answer.text
    return answer.json()


def _refreshed(api, refresh_token: str) -> str:
    answer = api.client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": refresh_token,
                                          "client_id": "PlatformCLI"})
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


def test_revoking_a_refresh_token_revokes_the_access_tokens_issued_against_it(api):
    first, other = _code_exchange(api), _code_exchange(api)
    issued = [first["access_token"], _refreshed(api, first["refresh_token"]),
              _refreshed(api, first["refresh_token"])]
    unrelated = [other["access_token"], _refreshed(api, other["refresh_token"]), api.token]
    assert [api.get("/limits", token=t).status_code for t in issued + unrelated] == [200] * 6
    revoke = "/services/oauth2/revoke"
    assert api.client.post(revoke, data={"token": first["refresh_token"]}).status_code == 200
    for token in issued:
        dead = api.get("/limits", token=token)
        assert dead.status_code == 401
        assert errors_of(dead) == [("INVALID_SESSION_ID", "Session expired or invalid")]
    assert [api.get("/limits", token=t).status_code for t in unrelated] == [200] * 3
    # Revoking an access token ends only that token; its refresh token still refreshes.
    assert api.client.post(revoke, data={"token": other["access_token"]}).status_code == 200
    assert api.get("/limits", token=other["access_token"]).status_code == 401
    assert api.get("/limits", token=_refreshed(api, other["refresh_token"])).status_code == 200
    assert api.get("/limits", token=unrelated[1]).status_code == 200


def test_a_confidential_client_needs_its_secret_without_pkce(api):
    code = _web_login(api, client_id=CLIENT_ID)
    form = {"grant_type": "authorization_code", "code": code, "client_id": CLIENT_ID,
            "redirect_uri": REDIRECT}
    assert api.client.post(TOKEN, data=form).json()["error"] == "invalid_client"
    code = _web_login(api, client_id=CLIENT_ID)
    ok = api.client.post(TOKEN, data=form | {"code": code, "client_secret": CLIENT_SECRET})
    assert ok.status_code == 200 and "refresh_token" in ok.json()


def test_authorize_refuses_an_unknown_client(api):
    page = api.client.get("/services/oauth2/authorize", params={"response_type": "code", "client_id": "nope",
                                                                "redirect_uri": REDIRECT})
    assert page.status_code == 400 and "error=invalid_client_id" in page.text


def test_jwt_bearer(api):
    answer = api.client.post(TOKEN, data={"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
                                          "assertion": jwt(_claims())})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert "refresh_token" not in body and body["id"].endswith(api.user(ADMIN))
    assert api.get("/limits", token=body["access_token"]).status_code == 200
    # The sf CLI's exp is in milliseconds, and it may use the instance URL as the audience.
    millis = api.client.post(TOKEN, data={"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
                                          "assertion": jwt(_claims(exp=int(time.time() * 1000) + 300,
                                                                   aud=BASE + "/"))})
    assert millis.status_code == 200, millis.text


def test_jwt_bearer_failures(api):
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cases = [
        (jwt(_claims(), key=other_key), "invalid_grant", "invalid assertion"),
        (jwt(_claims(aud="https://evil.example")), "invalid_grant", "audience is invalid"),
        (jwt(_claims(exp=int(time.time()) - 10)), "invalid_grant", "expired authorization code"),
        (jwt(_claims(sub="nobody@acme.example")), "invalid_grant", "user hasn't approved this consumer"),
        (jwt(_claims(iss="nope")), "invalid_client_id", "client identifier invalid"),
        ("not.a.jwt", "invalid_grant", "invalid assertion"),
    ]
    for assertion, error, description in cases:
        response = api.client.post(TOKEN, data={"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
                                                "assertion": assertion})
        assert response.status_code == 400
        assert response.json() == {"error": error, "error_description": description}, assertion
