"""Shared fixtures of the REST integration tests (the test_rest_* modules import them; this module holds no
tests): the app on the migrated demo database behind a TestClient, logged in through OAuth."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from sfmock.main import create_app
from sfmock.persistence.tables import outbox, table_for

V = "/services/data/v59.0"
ADMIN = "admin@acme.example"
PASSWORD = "sfmock-password" + "SFMOCKTOKEN"
CLIENT_ID, CLIENT_SECRET = "sfmock-demo-client", "sfmock-demo-secret"
JSON_TYPE = "application/json;charset=UTF-8"
# The instance the tests talk to: instance_url comes from the request's scheme and Host.
BASE = "https://127.0.0.1:8443"


@dataclass
class Api:
    client: TestClient
    token: str
    demo: Any

    def url(self, path: str) -> str:
        return path if path.startswith(("/services", "/_sfmock", "http")) else f"{V}{path}"

    def request(self, method: str, path: str, *, token: str | None = None, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {token or self.token}"} | kwargs.pop("headers", {})
        return self.client.request(method, self.url(path), headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.request("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> Any:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.request("DELETE", path, **kwargs)

    # --- arranging and checking -------------------------------------------------------------------
    def login(self, username: str = ADMIN, password: str = PASSWORD) -> str:
        response = self.client.post("/services/oauth2/token", data={
            "grant_type": "password", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
            "username": username, "password": password})
        assert response.status_code == 200, response.text
        return response.json()["access_token"]

    def create(self, sobject: str, **values: Any) -> str:
        headers = values.pop("headers", {})
        response = self.post(f"/sobjects/{sobject}/", json=values, headers=headers)
        assert response.status_code == 201, response.text
        return response.json()["id"]

    def record(self, sobject: str, record_id: str) -> dict[str, Any]:
        response = self.get(f"/sobjects/{sobject}/{record_id}")
        assert response.status_code == 200, response.text
        return response.json()

    def queue(self, developer_name: str) -> str:
        return self.demo.org.queue_ids[developer_name]

    def user(self, username: str) -> str:
        return self.demo.org.user_ids[username.lower()]

    def rule(self, name: str) -> str:
        return self.demo.org.rule_ids[name]

    def outbox(self) -> list[dict[str, Any]]:
        with self.demo.db.session() as sql:
            return [dict(r) for r in sql.execute(sa.select(outbox).order_by(outbox.c.id)).mappings()]

    def rows(self, sobject: str, *, include_deleted: bool = False) -> list[dict[str, Any]]:
        """Every row of the object in the database, read past the API (the ground truth)."""
        table = table_for(sobject)
        stmt = sa.select(table).order_by(table.c.Id)
        if not include_deleted:
            stmt = stmt.where(table.c.IsDeleted.is_(False))
        with self.demo.db.session() as sql:
            return [dict(r) for r in sql.execute(stmt).mappings()]


@pytest.fixture
def api(app_db: Any) -> Api:
    client = TestClient(create_app(app_db.settings, app_db.db), base_url=BASE, raise_server_exceptions=False)
    unauthenticated = Api(client, "", app_db)
    return Api(client, unauthenticated.login(), app_db)


def errors_of(response: Any) -> list[tuple[str, str]]:
    """(errorCode, message) of a REST error array, checking its shape on the way."""
    assert response.headers["content-type"] == JSON_TYPE
    body = response.json()
    assert isinstance(body, list) and body, body
    return [(e["errorCode"], e["message"]) for e in body]
