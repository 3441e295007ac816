"""The /_sfmock lock: a foreign Host, a cross-site request or a missing admin token is refused on every route,
and nothing the refused call asked for happens; the admin API off leaves no /_sfmock path at all."""

from __future__ import annotations

import base64
import re

import pytest
from fastapi.testclient import TestClient
from starlette.responses import PlainTextResponse

from sfmock.main import create_app
from sfmock.server import exposure_warning
from tests.conftest import DemoDb

LOCAL = "http://127.0.0.1:8000"


def _client(demo: DemoDb, **settings: object) -> TestClient:
    app = create_app(demo.settings.model_copy(update=settings), demo.db)

    # Stands in for anything another room mounts under the prefix later (a console): covered without a word.
    @app.get("/_sfmock/console/page")
    def console() -> PlainTextResponse:
        return PlainTextResponse("console")

    return TestClient(app, base_url=LOCAL)


def _every_admin_call(client: TestClient, org_id: str) -> list[tuple[str, str]]:
    """(method, concrete path) for every /_sfmock route (from the OpenAPI document), the docs and the stand-in
    console, path parameters filled in."""
    fill = {"org_id": org_id, "rule_id": "01Q000000000001AAA", "action": "activate", "what": "users"}
    calls = [
        ("GET", "/_sfmock/docs"),
        ("GET", "/_sfmock/openapi.json"),
        ("GET", "/_sfmock/docs/oauth2-redirect"),
        ("GET", "/_sfmock/console/page"),
        ("GET", "/_sfmock/no-such-thing"),
    ]
    for path, operations in client.app.openapi()["paths"].items():
        concrete = re.sub(r"\{(\w+)\}", lambda m: fill.get(m.group(1), "x"), path)
        calls += [(method.upper(), concrete) for method in operations]
    assert all(path.startswith("/_sfmock") for _, path in calls)
    return calls


def test_every_admin_route_is_listed(app_db: DemoDb) -> None:
    paths = {p for _, p in _every_admin_call(_client(app_db), app_db.org.org_id)}
    assert {
        "/_sfmock/reset",
        "/_sfmock/outbox",
        "/_sfmock/orgs",
        "/_sfmock/docs",
        "/_sfmock/openapi.json",
        "/_sfmock/console/page",
        f"/_sfmock/orgs/{app_db.org.org_id}/reset",
    } <= paths


@pytest.mark.parametrize(
    "headers",
    [
        {"Host": "rebind.evil.example"},  # DNS rebinding: the page's own name resolving to 127.0.0.1
        {"Host": "rebind.evil.example:8000"},
        {"Origin": "http://evil.example", "Content-Type": "text/plain"},  # a simple POST, no preflight
        {"Origin": "null"},
        {"Origin": "http://127.0.0.1:3000"},  # another local app's page: another origin
        {"Origin": "https://127.0.0.1:8000"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
    ],
    ids=[
        "host",
        "host-port",
        "origin",
        "origin-null",
        "origin-port",
        "origin-scheme",
        "fetch-cross",
        "fetch-same",
    ],
)
def test_foreign_host_and_cross_site_requests_are_403_on_every_route(app_db: DemoDb, headers: dict) -> None:
    client = _client(app_db)
    before = client.get("/_sfmock/orgs").json()
    for method, path in _every_admin_call(client, app_db.org.org_id):
        response = client.request(method, path, headers=headers, content=b"{}")
        assert response.status_code == 403, (method, path, response.text)
        assert response.json()["detail"]["error"] == "forbidden"
    assert client.get("/_sfmock/orgs").json() == before  # no reset, no delete, no new org


def test_the_servers_own_origin_and_loopback_names_are_served(app_db: DemoDb) -> None:
    client = _client(app_db)
    for headers in (
        {"Origin": LOCAL},
        {"Host": "localhost:8000"},
        {"Host": "[::1]:8000"},
        {"Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Site": "none"},
    ):
        assert client.get("/_sfmock/outbox", headers=headers).status_code == 200, headers
    response = client.get("/_sfmock/outbox")
    assert response.headers["cache-control"] == "no-store"


def test_allowed_hosts_and_public_url_add_names(app_db: DemoDb) -> None:
    client = _client(app_db, allowed_hosts="sfmock.internal, ci-box", public_url="https://mock.example:9443")
    for host in ("sfmock.internal:8000", "ci-box", "mock.example:9443"):
        assert client.get("/_sfmock/outbox", headers={"Host": host}).status_code == 200, host
    assert client.get("/_sfmock/outbox", headers={"Host": "other.example"}).status_code == 403
    proxied = {"Host": "mock.example:9443", "Origin": "https://mock.example:9443"}
    assert client.get("/_sfmock/outbox", headers=proxied).status_code == 200
    evil = proxied | {"Origin": "https://evil.example"}
    assert client.get("/_sfmock/outbox", headers=evil).status_code == 403


def test_the_doors_are_not_guarded(app_db: DemoDb) -> None:
    client = _client(app_db)
    response = client.get(
        "/services/data", headers={"Host": "my-laptop.example", "Origin": "http://evil.example"}
    )
    assert response.status_code == 200


def test_with_a_token_every_route_needs_it(app_db: DemoDb) -> None:
    client = _client(app_db, admin_token="s3cret-token")
    for method, path in _every_admin_call(client, app_db.org.org_id):
        response = client.request(method, path, content=b"{}")
        assert response.status_code == 401, (method, path)
        assert response.headers["www-authenticate"].startswith("Basic")
        wrong = client.request(method, path, headers={"Authorization": "Bearer nope"}, content=b"{}")
        assert wrong.status_code == 401
    assert client.get("/_sfmock/outbox", headers={"Authorization": "Bearer s3cret-token"}).json() == []
    basic = base64.b64encode(b"anyone:s3cret-token").decode()
    assert client.get("/_sfmock/docs", headers={"Authorization": f"Basic {basic}"}).status_code == 200
    # The token never lets a cross-site page in.
    assert (
        client.get(
            "/_sfmock/outbox",
            headers={"Authorization": "Bearer s3cret-token", "Origin": "http://evil.example"},
        ).status_code
        == 403
    )


def test_admin_api_off_removes_every_sfmock_path(app_db: DemoDb) -> None:
    client = _client(app_db, admin_api=False)
    for path in (
        "/_sfmock/docs",
        "/_sfmock/openapi.json",
        "/_sfmock/outbox",
        "/_sfmock/console/page",
        "/_sfmock",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post("/_sfmock/reset").status_code == 404
    assert client.get("/docs").status_code == 404 and client.get("/openapi.json").status_code == 404
    assert client.get("/health").json() == {"status": "ok"}


def test_binding_beyond_loopback_without_a_token_warns(app_db: DemoDb) -> None:
    settings = app_db.settings
    assert exposure_warning(settings.model_copy(update={"host": "127.0.0.1"})) is None
    assert "SFMOCK_ADMIN_TOKEN" in exposure_warning(settings.model_copy(update={"host": "0.0.0.0"}))
    assert exposure_warning(settings.model_copy(update={"host": "0.0.0.0", "admin_token": "t"})) is None
    assert exposure_warning(settings.model_copy(update={"host": "0.0.0.0", "admin_api": False})) is None


@pytest.mark.parametrize("slashes", ["//", "///", "////"])
def test_leading_slashes_do_not_get_past_the_token(app_db: DemoDb, slashes: str) -> None:
    """The doors fold a leading `//` for the sf CLI's `//services/…`; `//_sfmock/…` is still the guarded API
    (refused without the token) and is not folded onto it by the doors (so with the token it is a 404)."""
    client = _client(app_db, admin_token="s3cret-token")
    path = f"{slashes}_sfmock/orgs"
    refused = client.get(f"{LOCAL}{path}")
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"].startswith("Basic")
    allowed = client.get(f"{LOCAL}{path}", headers={"Authorization": "Bearer s3cret-token"})
    assert allowed.status_code == 404
    # the doors' own paths are still folded, the Bulk doors' included (no session: their 401 / 400, not a 404)
    assert client.get(f"{LOCAL}{slashes}services/data").status_code == 200
    assert client.get(f"{LOCAL}{slashes}services/data/v59.0/jobs/ingest").status_code == 401
    assert client.get(f"{LOCAL}{slashes}services/async/59.0/job/750000000000001AAA").status_code == 400
