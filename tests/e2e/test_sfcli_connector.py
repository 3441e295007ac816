"""Salesforce's own `sf` CLI (pinned, tests/e2e/sfcli), unmodified, against a live sfmock: the three logins
(access token, JWT bearer, SFDX auth URL, the last refreshing its session after expiry and dying with its
revoked refresh token), `org display` and `org list limits`, `data query` (--all-rows, --use-tooling-api),
the record commands (the routed owner), `data import tree` / `data export tree`, `sobject list` and
`sobject describe`."""
from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.e2e.sfcli import SfCli, installed
from tests.e2e.test_connector_flows import KEY, _expire_sessions
from tests.e2e.test_jsforce import _journal, _org_id, _queue_id, _user_id

pytestmark = pytest.mark.e2e

ADMIN, CLIENT_ID, CLIENT_SECRET = "admin@acme.example", "sfmock-demo-client", "sfmock-demo-secret"
REDIRECT = "http://localhost:1717/OauthRedirect"


def _token(server: Any, **form: str) -> dict[str, Any]:
    answer = httpx.post(f"{server.http_url}/services/oauth2/token", data={"client_id": CLIENT_ID} | form,
                        timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _password_token(server: Any) -> str:
    return _token(server, grant_type="password", client_secret=CLIENT_SECRET, username=ADMIN,
                  password="sfmock-passwordSFMOCKTOKEN")["access_token"]


def _refresh_token(server: Any) -> str:
    """A refresh token from the web-server flow: the login page's form posted, the code exchanged."""
    params = {"response_type": "code", "client_id": CLIENT_ID, "redirect_uri": REDIRECT, "state": "cli"}
    page = httpx.post(f"{server.http_url}/services/oauth2/authorize", timeout=30,
                      data=params | {"username": ADMIN, "password": "sfmock-password"})
    assert page.status_code == 302, page.text
    code = parse_qs(urlsplit(page.headers["location"]).query)["code"][0]
    return _token(server, grant_type="authorization_code", code=code, client_secret=CLIENT_SECRET,
                  redirect_uri=REDIRECT)["refresh_token"]


def _ok(answer: dict[str, Any]) -> Any:
    assert answer.get("status") == 0, answer
    return answer["result"]


@pytest.fixture
def cli(fresh_server: Any, tmp_path) -> SfCli:
    """Logged in with `sf org login access-token` (an OAuth access token of the password flow)."""
    installed()
    sf = SfCli(fresh_server, tmp_path / "home")
    assert sf.login(_password_token(fresh_server))["username"] == ADMIN
    return sf


def test_org_display_and_limits(cli: SfCli, fresh_server: Any) -> None:
    shown = _ok(cli.json("org", "display"))
    assert (shown["id"], shown["username"], shown["connectedStatus"], shown["alias"]) == (
        _org_id(fresh_server), ADMIN, "Connected", "sfmock")
    assert shown["instanceUrl"].rstrip("/") == fresh_server.http_url
    limits = {entry["name"]: entry for entry in _ok(cli.json("org", "list", "limits"))}
    served = httpx.get(f"{fresh_server.http_url}/services/data/v66.0/limits", timeout=30,
                       headers={"Authorization": f"Bearer {_password_token(fresh_server)}"}).json()
    assert set(limits) == set(served)
    api = limits["DailyApiRequests"]
    assert api["max"] == served["DailyApiRequests"]["Max"] and 0 < api["remaining"] < api["max"]


def test_record_commands_route_like_a_single_create(cli: SfCli, fresh_server: Any) -> None:
    created = _ok(cli.json("data", "create", "record", "--sobject", "Lead", "--values",
                           "LastName=Kumar Company=Tata Country=India"))
    lead = created["id"]
    assert created["success"] is True and lead.startswith("00Q")
    # No Sforce-Auto-Assign from the CLI: REST's default TRUE runs the active rule (India -> India SMB Queue).
    got = _ok(cli.json("data", "get", "record", "--sobject", "Lead", "--record-id", lead))
    india = _queue_id(fresh_server, "India_SMB_Queue")
    assert (got["Id"], got["LastName"], got["OwnerId"]) == (lead, "Kumar", india)
    [entry] = _journal(fresh_server, door="rest", operation="create")
    assert (entry["sobject"], entry["assignment"], entry["results"]) == ("Lead", "default", ["OK"])
    assert _ok(cli.json("data", "update", "record", "--sobject", "Lead", "--record-id", lead,
                        "--values", "Title=CTO"))["success"] is True
    found = _ok(cli.json("data", "get", "record", "--sobject", "Lead", "--where", "LastName=Kumar"))
    assert (found["Id"], found["Title"]) == (lead, "CTO")
    assert _ok(cli.json("data", "delete", "record", "--sobject", "Lead", "--record-id", lead))["id"] == lead
    live = _ok(cli.json("data", "query", "--query", "SELECT Id FROM Lead"))
    assert (live["totalSize"], live["records"]) == (0, [])
    every = _ok(cli.json("data", "query", "--query", "SELECT Id, LastName, IsDeleted, Owner.Name FROM Lead",
                         "--all-rows"))
    [row] = every["records"]
    assert (row["Id"], row["LastName"], row["IsDeleted"], row["Owner"]["Name"]) == (
        lead, "Kumar", True, "India SMB Queue")
    assert fresh_server.outbox() == []  # KB 000384839: REST never sends the assignment notification


def test_tooling_query_answers_the_source_member_query(cli: SfCli) -> None:
    answer = _ok(cli.json("data", "query", "--use-tooling-api", "--query",
                          "SELECT Id, MemberName FROM SourceMember"))
    assert (answer["totalSize"], answer["records"]) == (0, [])


TREE = {"records": [
    {"attributes": {"type": "Account", "referenceId": "AcmeRef"}, "Name": "Acme Tree",
     "Contacts": {"records": [
         {"attributes": {"type": "Contact", "referenceId": "OneRef"}, "LastName": "One",
          "Email": "one@acme.example"},
         {"attributes": {"type": "Contact", "referenceId": "TwoRef"}, "LastName": "Two"}]}},
    {"attributes": {"type": "Account", "referenceId": "GlobexRef"}, "Name": "Globex Tree"}]}
LEADS = {"records": [{"attributes": {"type": "Lead", "referenceId": "IndiaRef"}, "LastName": "Rao",
                      "Company": "Infosys", "Country": "India"}]}


def test_import_tree_then_export_tree(cli: SfCli, fresh_server: Any) -> None:
    (cli.home / "accounts.json").write_text(json.dumps(TREE))
    (cli.home / "leads.json").write_text(json.dumps(LEADS))
    imported = _ok(cli.json("data", "import", "tree", "--files", "accounts.json,leads.json"))
    assert [(r["refId"], r["type"]) for r in imported] == [
        ("AcmeRef", "Account"), ("OneRef", "Contact"), ("TwoRef", "Contact"), ("GlobexRef", "Account"),
        ("IndiaRef", "Lead")]
    ids = {r["refId"]: r["id"] for r in imported}
    contacts = _ok(cli.json("data", "query", "--query",
                            "SELECT Id, AccountId FROM Contact ORDER BY LastName"))
    assert [(r["Id"], r["AccountId"]) for r in contacts["records"]] == [
        (ids["OneRef"], ids["AcmeRef"]), (ids["TwoRef"], ids["AcmeRef"])]
    lead = _ok(cli.json("data", "get", "record", "--sobject", "Lead", "--record-id", ids["IndiaRef"]))
    # A record of a tree is created as by a single create: routed by the active rule.
    assert lead["OwnerId"] == _queue_id(fresh_server, "India_SMB_Queue")
    assert fresh_server.outbox() == []

    exported = _ok(cli.json("data", "export", "tree", "--output-dir", "out", "--query",
                            "SELECT Id, Name, (SELECT Id, LastName, Email FROM Contacts ORDER BY LastName) "
                            "FROM Account ORDER BY Name"))
    written = json.loads((cli.home / "out" / "Account-Contact.json").read_text())
    assert written == exported
    assert written == {"records": [
        {"attributes": {"type": "Account", "referenceId": "AccountRef1"}, "Name": "Acme Tree",
         "Contacts": {"records": [
             {"attributes": {"type": "Contact", "referenceId": "ContactRef1"}, "LastName": "One",
              "Email": "one@acme.example"},
             {"attributes": {"type": "Contact", "referenceId": "ContactRef2"}, "LastName": "Two"}]}},
        {"attributes": {"type": "Account", "referenceId": "AccountRef2"}, "Name": "Globex Tree"}]}


def test_sobject_list_and_describe(cli: SfCli) -> None:
    listed = _ok(cli.json("sobject", "list"))
    assert {"Account", "Case", "Contact", "Lead", "User"} <= set(listed) and listed == sorted(listed)
    described = _ok(cli.json("sobject", "describe", "--sobject", "Lead"))
    assert (described["name"], described["keyPrefix"], described["createable"]) == ("Lead", "00Q", True)
    fields = {f["name"]: f for f in described["fields"]}
    assert fields["OwnerId"]["referenceTo"] == ["Group", "User"] and fields["Country"]["type"] == "string"
    contacts = _ok(cli.json("sobject", "describe", "--sobject", "Account"))["childRelationships"]
    assert {"childSObject": "Contact", "field": "AccountId", "relationshipName": "Contacts"}.items() <= next(
        r for r in contacts if r["relationshipName"] == "Contacts").items()


def test_jwt_login(fresh_server: Any, tmp_path) -> None:
    installed()
    cli = SfCli(fresh_server, tmp_path / "home", alias="jwt")
    done = cli.run("org", "login", "jwt", "--client-id", CLIENT_ID, "--jwt-key-file", str(KEY),
                   "--username", ADMIN, "--instance-url", fresh_server.http_url, "--alias", "jwt", "--json")
    logged = _ok(json.loads(done.stdout))
    assert (logged["username"], logged["orgId"], logged["clientId"]) == (
        ADMIN, _org_id(fresh_server), CLIENT_ID)
    me = _ok(cli.json("data", "query", "--query", f"SELECT Id FROM User WHERE Username = '{ADMIN}'"))
    assert [r["Id"] for r in me["records"]] == [_user_id(fresh_server, ADMIN)]


def test_sfdx_url_login_refreshes_its_session_and_dies_with_its_refresh_token(fresh_server: Any,
                                                                             tmp_path) -> None:
    """`force://<clientId>:<secret>:<refreshToken>@<host>`: the CLI always speaks https to that host."""
    installed()
    cli = SfCli(fresh_server, tmp_path / "home", alias="url")
    refresh = _refresh_token(fresh_server)
    (cli.home / "auth.txt").write_text(
        f"force://{CLIENT_ID}:{CLIENT_SECRET}:{refresh}@{urlsplit(fresh_server.https_url).netloc}\n")
    done = cli.run("org", "login", "sfdx-url", "--sfdx-url-file", "auth.txt", "--alias", "url", "--json")
    logged = _ok(json.loads(done.stdout))
    assert (logged["username"], logged["instanceUrl"]) == (ADMIN, fresh_server.https_url)
    query = ("data", "query", "--query", "SELECT Id FROM Organization")
    assert [r["Id"] for r in _ok(cli.json(*query))["records"]] == [_org_id(fresh_server)]

    # The session expires: the CLI gets INVALID_SESSION_ID, refreshes with its refresh token and retries.
    _expire_sessions(fresh_server)
    assert _ok(cli.json(*query))["totalSize"] == 1
    # Revoking the refresh token revokes the access token it issued; the refresh then fails too.
    assert httpx.post(f"{fresh_server.http_url}/services/oauth2/revoke", data={"token": refresh},
                      timeout=30).status_code == 200
    dead = cli.json(*query)
    assert (dead["status"], dead["message"]) == (
        1, "Unable to refresh session due to: Error authenticating with the refresh token due to: expired "
        "access/refresh token")


def test_data_query_of_a_formatted_aggregate(cli: SfCli) -> None:
    """`sf data query` lays its table out from `columns=true`: FORMAT(aggregate) is a column like its
    aggregate (named exprN, shown under the aggregate's displayName), its value the text (SOQL reference,
    "FORMAT()"). Unaliased only: the CLI's table maps exprN to the Nth aggregate column, aliased ones
    included."""
    assert _ok(cli.json("data", "create", "record", "--sobject", "Lead",
                        "--values", "LastName=Kumar Company=Tata AnnualRevenue=1500"))["success"] is True
    soql = "SELECT FORMAT(SUM(AnnualRevenue)), FORMAT(COUNT(Id)) FROM Lead"
    answer = _ok(cli.json("data", "query", "--query", soql))
    assert [{k: v for k, v in r.items() if k != "attributes"} for r in answer["records"]] == [
        {"expr0": "$1,500.00", "expr1": "1"}]
    table = cli.run("data", "query", "--query", soql, "--target-org", cli.alias).stdout
    assert _table_rows(table) == [["SUM(ANNUALREVENUE)", "COUNT(ID)"], ["$1,500.00", "1"]]


def _table_rows(table: str) -> list[list[str]]:
    """The cells of `sf data query`'s table: drawn with box characters on a terminal, as plain columns under
    CI=true (the CLI's table style for CI)."""
    rows = []
    for line in table.splitlines():
        text = line.strip()
        if "│" in line:
            rows.append([cell.strip() for cell in line.split("│")[1:-1]])
        elif text and not set(text) <= set("-─┌┐└┘├┤┬┴┼") and not text.startswith("Total number of records"):
            rows.append(re.split(r"\s{2,}", text))
    return rows
