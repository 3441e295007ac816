"""The REST door's routing and error envelope, before any database is touched: 404/405/415/413, JSON parse
errors, gzip bodies, the versions list, and that none of it leaks onto other paths (the SOAP door)."""
from __future__ import annotations

import gzip

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sfmock import rest
from sfmock.settings import Settings

LEAD_ID = "00Q000000000001AAA"
JSON = "application/json;charset=UTF-8"


@pytest.fixture
def client() -> TestClient:
    app = FastAPI()
    app.state.settings = Settings(max_body_bytes=4096)
    app.state.db = None

    @app.get("/elsewhere")
    def elsewhere() -> dict:
        raise RuntimeError("not the REST door's business")

    rest.mount(app)
    return TestClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize("path", ["/services/data/", "/services/data"])
def test_versions_need_no_session_and_carry_no_limit_info(client, path):
    response = client.get(path)
    assert response.status_code == 200 and response.headers["content-type"] == JSON
    assert "sforce-limit-info" not in response.headers
    body = response.json()
    assert {"label": "Summer '14", "url": "/services/data/v31.0", "version": "31.0"} in body
    assert {"label": "Winter '24", "url": "/services/data/v59.0", "version": "59.0"} in body
    assert [v["version"] for v in body] == sorted((v["version"] for v in body), key=float)


@pytest.mark.parametrize("path", ["/services/data/v9.0/sobjects/", "/services/data/v99.0/query?q=x",
                                  "/services/data/v59.0/nonsense", "/services/data/v59.0/sobjects/Lead/a/b/c",
                                  "/services/data/59.0/sobjects", "/services/oauth2/nothing"])
def test_unknown_resources_are_salesforce_404(client, path):
    response = client.get(path, headers={"Authorization": "Bearer x"})
    assert response.status_code == 404 and response.headers["content-type"] == JSON
    assert response.json() == [{"message": "The requested resource does not exist", "errorCode": "NOT_FOUND"}]


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("PUT", f"/services/data/v59.0/sobjects/Lead/{LEAD_ID}", "HEAD,GET,PATCH,DELETE"),
    ("POST", f"/services/data/v59.0/sobjects/Lead/{LEAD_ID}", "HEAD,GET,PATCH,DELETE"),
    ("PATCH", "/services/data/v59.0/sobjects/Lead/", "HEAD,GET,POST"),
    ("DELETE", "/services/data/v59.0/query", "HEAD,GET"),
    ("GET", "/services/data/v59.0/composite/sobjects", "POST,PATCH,DELETE"),
])
def test_wrong_method_is_405_with_the_allowed_list(client, method, path, allowed):
    response = client.request(method, path, headers={"Authorization": "Bearer x"}, json={})
    assert response.status_code == 405
    assert response.json() == [{"message": f"HTTP Method '{method}' not allowed. Allowed are {allowed}",
                                "errorCode": "METHOD_NOT_ALLOWED"}]


def test_missing_session_is_401_array(client):
    response = client.get("/services/data/v59.0/sobjects/")
    assert response.status_code == 401
    assert response.json() == [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}]


def test_unknown_sobject_in_path_is_404(client):
    response = client.get("/services/data/v59.0/sobjects/Nope/describe",
                          headers={"Authorization": "Bearer x"})
    assert response.status_code == 404 and response.json()[0]["errorCode"] == "NOT_FOUND"


@pytest.mark.parametrize(("body", "fragment"), [
    (b'{"LastName": "Doe",', "line:1"), (b"", "No content"), (b"[1, 2]", "START_ARRAY"),
    (b"\xff\xfe", "UTF-8"),
])
def test_malformed_json_is_json_parser_error(client, body, fragment):
    response = client.post("/services/data/v59.0/sobjects/Lead/", content=body,
                           headers={"Authorization": "Bearer x", "Content-Type": "application/json"})
    assert response.status_code == 400
    [error] = response.json()
    assert error["errorCode"] == "JSON_PARSER_ERROR" and fragment in error["message"]


def test_unsupported_content_type_is_415(client):
    response = client.post("/services/data/v59.0/sobjects/Lead/", content=b"LastName=Doe",
                           headers={"Authorization": "Bearer x", "Content-Type": "text/plain"})
    assert response.status_code == 415
    assert response.json()[0]["errorCode"] == "UNSUPPORTED_MEDIA_TYPE"


def test_gzip_request_bodies_are_read(client):
    response = client.post("/services/data/v59.0/sobjects/Lead/", content=gzip.compress(b'{"LastName": '),
                           headers={"Authorization": "Bearer x", "Content-Type": "application/json",
                                    "Content-Encoding": "gzip"})
    assert response.status_code == 400
    assert response.json()[0]["errorCode"] == "JSON_PARSER_ERROR"  # decompressed, then parsed


@pytest.mark.parametrize("encoding", [None, "gzip"])
def test_oversized_bodies_are_refused_with_an_error_array(client, encoding):
    raw = b'{"Description": "' + b"x" * 10_000 + b'"}'
    headers = {"Authorization": "Bearer x", "Content-Type": "application/json"}
    if encoding:
        raw, headers["Content-Encoding"] = gzip.compress(raw), encoding  # small on the wire, large inside
        assert len(raw) < 4096
    response = client.post("/services/data/v59.0/sobjects/Lead/", content=raw, headers=headers)
    assert response.status_code == 413
    assert response.json()[0]["errorCode"] == "REQUEST_ENTITY_TOO_LARGE"


def test_chunked_oversized_body_is_refused(client):
    def chunks():
        for _ in range(10):
            yield b"x" * 1000

    response = client.post("/services/oauth2/token", content=chunks(),
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413


def test_other_paths_keep_their_own_error_handling(client):
    assert client.get("/elsewhere").status_code == 500
    assert client.get("/elsewhere").headers["content-type"].startswith("text/plain")
    soap = client.post("/services/Soap/u/59.0", content=b"<x/>")
    assert soap.status_code == 404 and soap.json() == {"detail": "Not Found"}  # FastAPI's, not the REST array


def test_unsupported_grant_type(client):
    response = client.post("/services/oauth2/token",
                           data={"grant_type": "urn:ietf:params:oauth:grant-type:saml2-bearer",
                                                           "assertion": "aaa.bbb.ccc"})
    assert response.status_code == 400
    assert response.json() == {"error": "unsupported_grant_type",
                               "error_description": "grant type not supported"}
    assert response.headers["content-type"] == JSON
