"""jsforce, unmodified, on the connector surface: token refresh after an invalid session (refresh token from
the web-server flow), its own web-server flow with PKCE, /composite and /composite/tree, updated/deleted, and
convertLead with the notification in the outbox."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.e2e.test_jsforce import ADMIN, Jsforce, _queue_id, _user_id, js, jsforce_installed

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


def test_jsforce_web_server_flow_with_pkce_then_refresh(js: Jsforce, fresh_server: Any) -> None:
    result = js("webServerFlow", clientId="sfmock-demo-client", clientSecret="sfmock-demo-secret",
                browserLogin={"username": ADMIN, "password": "sfmock-password"}, soql="SELECT Id FROM Lead")
    assert (result["state"], result["hasRefreshToken"], result["userInfo"]["id"]) == (
        "jsforce", True, _user_id(fresh_server, ADMIN))
    # The access token was revoked behind jsforce's back: INVALID_SESSION_ID, then a refresh with the refresh
    # token (which a revoked access token leaves alive) and the query replayed.
    assert (result["revokeStatus"], result["refreshed"], result["newToken"], result["totalSize"]) == (
        200, 1, True, 0)


def test_jsforce_convert_lead_notifies_the_new_owner(js: Jsforce, fresh_server: Any) -> None:
    priya = _user_id(fresh_server, "priya.rep@acme.example")
    answer = js("convertLead", record={"FirstName": "Ravi", "LastName": "Rao", "Company": "Infosys"},
                convert={"convertedStatus": "Closed - Converted", "doNotCreateOpportunity": True,
                         "overwriteLeadSource": False, "ownerId": priya, "sendNotificationEmail": True})
    result, lead = answer["result"], answer["lead"]
    assert result["success"] is True and result["leadId"] == lead["Id"]
    assert (lead["IsConverted"], lead["Status"], lead["OwnerId"], lead["ConvertedAccountId"],
            lead["ConvertedContactId"]) == (True, "Closed - Converted", priya, result["accountId"],
                                            result["contactId"])
    [mail] = fresh_server.outbox()
    assert (mail["recipient"], mail["reason"], mail["record_id"], mail["api"]) == (
        "priya.rep@acme.example", "lead_conversion", lead["Id"], "soap")
    assert mail["subject"] == "Lead converted: Ravi Rao, Infosys"
