"""Logs: one access line per request (method, path, status, time, org, door, operation), faults at info,
JSON."""
from __future__ import annotations

import json
import logging

import pytest
from fastapi.testclient import TestClient

from sfmock.logs import JsonFormatter
from sfmock.main import create_app
from sfmock.settings import Settings
from tests.conftest import DemoDb


def _token(client: TestClient) -> str:
    form = {"grant_type": "password", "client_id": "sfmock-demo-client",
            "client_secret": "sfmock-demo-secret",
            "username": "admin@acme.example", "password": "sfmock-passwordSFMOCKTOKEN"}
    return client.post("/services/oauth2/token", data=form).json()["access_token"]


def test_access_line_names_org_door_and_operation(app_db: DemoDb, caplog: pytest.LogCaptureFixture) -> None:
    client = TestClient(create_app(app_db.settings, app_db.db), base_url="http://127.0.0.1:8000")
    bearer = {"Authorization": f"Bearer {_token(client)}"}
    with caplog.at_level(logging.INFO, logger="sfmock"):
        client.get("/services/data/v59.0/query", params={"q": "SELECT Id FROM Lead"}, headers=bearer)
        client.get("/services/data/v59.0/query", params={"q": "SELECT Nope FROM Lead"}, headers=bearer)
    lines = [r for r in caplog.records if r.name == "sfmock.access"]
    assert [(r.method, r.path, r.status, r.org, r.door, r.operation) for r in lines] == [
        ("GET", "/services/data/v59.0/query", 200, app_db.org.org_id, "rest", "query"),
        ("GET", "/services/data/v59.0/query", 400, app_db.org.org_id, "rest", "query")]
    assert all(isinstance(r.ms, float) for r in lines)
    assert [r.getMessage() for r in caplog.records
            if r.name == "sfmock.rest"] == ["REST error 400 INVALID_FIELD"]
    assert lines[0].getMessage().startswith("GET /services/data/v59.0/query 200 ")
    assert lines[0].getMessage().endswith(f"org={app_db.org.org_id} door=rest operation=query")


def test_json_format_carries_the_access_fields() -> None:
    record = logging.LogRecord("sfmock.access", logging.INFO, __file__, 1, "GET / 200", (), None)
    record.method, record.status, record.door = "GET", 200, "admin"
    line = json.loads(JsonFormatter().format(record))
    assert (line["level"], line["logger"], line["message"], line["method"], line["status"], line["door"]) == (
        "info", "sfmock.access", "GET / 200", "GET", 200, "admin")


def test_log_settings_default_to_info_text_and_accept_upper_case() -> None:
    assert (Settings().log_level, Settings().log_format) == ("info", "text")
    assert Settings(log_level="DEBUG", log_format="JSON").log_format == "json"
