"""The REST requests real clients sent (shared/docs/wire-captures: simple-salesforce 1.12.10 and jsforce 3.10,
recorded on loopback), replayed byte for byte against the app: method, path, headers and body as captured;
only the session token, client credentials and record/rule ids are swapped for ones that exist here.

Traps they carry: jsforce posts without a trailing slash and sends OAuth forms chunked; simple-salesforce adds
X-PrettyPrint and a trailing slash on /query/; jsforce needs Content-Type to start with application/json.
"""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from sfmock.main import create_app

SS_UA = "python-requests/2.34.2"
JS_UA = "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)"

# (client, method, path, headers, body, expected status). {token}, {lead}, {rule}, {ck}, {cs} are swapped in.
CAPTURES = [
    ("simple-salesforce", "POST", "/services/data/v59.0/sobjects/Lead/",
     {"User-Agent": SS_UA, "Accept-Encoding": "gzip, deflate", "Accept": "*/*", "Connection": "keep-alive",
      "Content-Type": "application/json", "Authorization": "Bearer {token}", "X-PrettyPrint": "1",
      "Sforce-Auto-Assign": "TRUE"},
     '{"LastName": "Doe", "Company": "Acme"}', 201),
    ("simple-salesforce", "GET",
     "/services/data/v59.0/query/?q=SELECT+Id+FROM+Lead+WHERE+Email+%3D+%27x%40y.com%27",
     {"User-Agent": SS_UA, "Accept": "*/*", "Content-Type": "application/json",
      "Authorization": "Bearer {token}", "X-PrettyPrint": "1"}, "", 200),
    ("simple-salesforce", "POST", "/services/data/v59.0/sobjects/Case/",
     {"User-Agent": SS_UA, "Content-Type": "application/json", "Authorization": "Bearer {token}",
      "X-PrettyPrint": "1", "Sforce-Auto-Assign": "{rule}"}, '{"Subject": "Help"}', 201),
    ("simple-salesforce", "POST", "/services/oauth2/token",
     {"User-Agent": SS_UA, "Content-Type": "application/x-www-form-urlencoded"},
     "grant_type=password&client_id={ck}&client_secret={cs}&username={user}&password={password}", 200),
    ("simple-salesforce", "GET", "/services/data/v59.0/sobjects/Lead/{lead}",
     {"User-Agent": SS_UA, "Content-Type": "application/json", "Authorization": "Bearer {token}",
      "X-PrettyPrint": "1"}, "", 200),
    ("jsforce", "POST", "/services/data/v59.0/sobjects/Lead",
     {"Sforce-Auto-Assign": "FALSE", "content-type": "application/json", "Authorization": "Bearer {token}",
      "Accept": "*/*", "User-Agent": JS_UA, "Accept-Encoding": "gzip,deflate"},
     '{"LastName":"Doe","Company":"Acme"}', 201),
    ("jsforce", "POST", "/services/data/v59.0/composite/sobjects",
     {"Sforce-Auto-Assign": "TRUE", "content-type": "application/json", "Authorization": "Bearer {token}",
      "User-Agent": JS_UA},
     '{"allOrNone":false,"records":[{"attributes":{"type":"Lead"},"LastName":"A","Company":"X"},'
     '{"attributes":{"type":"Lead"},"LastName":"B","Company":"Y"}]}', 200),
    ("jsforce", "GET", "/services/data/v59.0/query?q=SELECT%20Id%20FROM%20Lead",
     {"Authorization": "Bearer {token}", "Accept": "*/*", "User-Agent": JS_UA}, "", 200),
    ("jsforce", "GET", "/services/data/v59.0/sobjects/Lead/{lead}",
     {"Authorization": "Bearer {token}", "Accept": "*/*", "User-Agent": JS_UA}, "", 200),
    ("jsforce", "POST", "/services/oauth2/token",
     {"content-type": "application/x-www-form-urlencoded", "User-Agent": JS_UA,
      "Transfer-Encoding": "chunked"},
     "grant_type=password&username={user_q}&password={password}&client_id={ck}&client_secret={cs}", 200),
    ("jsforce", "POST", "/services/oauth2/token",
     {"content-type": "application/x-www-form-urlencoded", "User-Agent": JS_UA,
      "Transfer-Encoding": "chunked"},
     "grant_type=client_credentials&client_id={ck}&client_secret={cs}", 200),
    ("jsforce", "POST", "/services/oauth2/token",
     {"content-type": "application/x-www-form-urlencoded", "User-Agent": JS_UA,
      "Transfer-Encoding": "chunked"},
     "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=aaa.bbb.ccc", 400),
]


def _chunks(body: bytes) -> Iterator[bytes]:
    for start in range(0, len(body), 16):
        yield body[start:start + 16]


@pytest.mark.parametrize(("client", "method", "path", "headers", "body", "status"), CAPTURES,
                         ids=[f"{c[0]}-{c[1]}-{c[2].split('?')[0]}" for c in CAPTURES])
def test_captured_client_request_is_served(app_db, client, method, path, headers, body, status):
    http = TestClient(create_app(app_db.settings, app_db.db), base_url="https://localhost:18443")
    token = http.post("/services/oauth2/token", data={
        "grant_type": "password", "client_id": "sfmock-demo-client", "client_secret": "sfmock-demo-secret",
        "username": "admin@acme.example", "password": "sfmock-passwordSFMOCKTOKEN"}).json()["access_token"]
    lead = http.post("/services/data/v59.0/sobjects/Lead/", json={"LastName": "Seed", "Company": "Acme"},
                     headers={"Authorization": f"Bearer {token}"}).json()["id"]
    swap = {"{token}": token, "{lead}": lead, "{rule}": app_db.org.rule_ids["Case/Support Routing"],
            "{ck}": "sfmock-demo-client", "{cs}": "sfmock-demo-secret", "{user}": "admin@acme.example",
            "{user_q}": "admin%40acme.example", "{password}": "sfmock-passwordSFMOCKTOKEN"}

    def fill(text: str) -> str:
        for key, value in swap.items():
            text = text.replace(key, value)
        return text

    sent = {k: fill(v) for k, v in headers.items()}
    raw = fill(body).encode()
    chunked = sent.pop("Transfer-Encoding", None) == "chunked"
    response = http.request(method, fill(path), headers=sent,
                            content=_chunks(raw) if chunked else (raw or None))
    assert response.status_code == status, response.text
    # jsforce parses JSON only when Content-Type starts with application/json.
    assert response.headers["content-type"].startswith("application/json")
    if path.startswith("/services/data"):
        assert response.headers["sforce-limit-info"].startswith("api-usage=")
