"""jsforce, unmodified, on the connector surface: token refresh after an invalid session (refresh token from
the web-server flow), /composite and /composite/tree, updated/deleted."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.e2e.test_jsforce import ADMIN, Jsforce, _queue_id, js, jsforce_installed

pytestmark = pytest.mark.e2e
__all__ = ["js", "jsforce_installed"]

REDIRECT = "http://localhost:1717/OauthRedirect"


def _refresh_token(server: Any) -> str:
    """Through the login page as a browser would: PlatformCLI, no PKCE (a public client)."""
    form = {"response_type": "code", "client_id": "PlatformCLI", "redirect_uri": REDIRECT, "state": "s",
            "username": ADMIN, "password": "sfmock-password"}
    done = httpx.post(f"{server.http_url}/services/oauth2/authorize", data=form, timeout=30)
    assert done.status_code == 302, done.text
    code = parse_qs(urlsplit(done.headers["location"]).query)["code"][0]
    token = httpx.post(f"{server.http_url}/services/oauth2/token", timeout=30, data={
        "grant_type": "authorization_code", "code": code, "client_id": "PlatformCLI",
        "redirect_uri": REDIRECT})
    assert token.status_code == 200, token.text
    return token.json()["refresh_token"]


def test_jsforce_refreshes_an_expired_session(js: Jsforce, fresh_server: Any) -> None:
    result = js("refresh", clientId="PlatformCLI", refreshToken=_refresh_token(fresh_server),
                soql="SELECT Id FROM Lead")
    assert result == {"totalSize": 0, "refreshed": 1, "newToken": True}


def test_jsforce_composite_and_tree(js: Jsforce, fresh_server: Any) -> None:
    v = "/services/data/v59.0"
    result = js("composite", composite={"compositeRequest": [
        {"method": "POST", "url": f"{v}/sobjects/Lead", "referenceId": "lead",
         "body": {"LastName": "Kumar", "Company": "Tata", "Country": "India"}},
        {"method": "GET", "url": f"{v}/sobjects/Lead/@{{lead.id}}?fields=OwnerId", "referenceId": "read"}]},
        tree={"sobject": "Lead", "records": [
            {"attributes": {"type": "Lead", "referenceId": "r1"}, "LastName": "A", "Company": "B"}]})
    entries = result["composite"]["compositeResponse"]
    assert entries[1]["body"]["OwnerId"] == _queue_id(fresh_server, "India_SMB_Queue")
    assert result["tree"]["hasErrors"] is False and result["tree"]["results"][0]["referenceId"] == "r1"
    assert fresh_server.outbox() == []


def test_jsforce_updated_and_deleted(js: Jsforce) -> None:
    now = datetime.now(UTC)
    result = js("replication", start=(now - timedelta(minutes=30)).isoformat(),
                end=(now + timedelta(minutes=5)).isoformat())
    assert result["updated"]["ids"] == [] and result["deleted"]["deletedRecords"] == []
