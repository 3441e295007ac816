"""Bulk hardDelete through unmodified clients on a real server: simple-salesforce `bulk.hard_delete` and
`bulk2.hard_delete` and `sf data delete bulk --hard-delete` remove the records for good (queryAll no longer
sees them, unlike a plain delete), and a user without the "Bulk API Hard Delete" permission gets the error
each client knows: jsforce's FeatureNotEnabled (Bulk 1.0), the sf CLI's own permission message (Bulk 2.0)."""
from __future__ import annotations

from typing import Any

import httpx
import pytest
from simple_salesforce import Salesforce

from sfmock.core.bulk import HARD_DELETE_REFUSED
from tests.e2e.sfcli import SfCli, installed
from tests.e2e.test_bulk_sfcli import LOGIN
from tests.e2e.test_jsforce import Jsforce, js, jsforce_installed
from tests.e2e.test_simple_salesforce import PASSWORD, TOKEN, _trust_sfmock_ca, sf

pytestmark = pytest.mark.e2e
__all__ = ["_trust_sfmock_ca", "js", "jsforce_installed", "sf"]

STANDARD_USER = "testUser@org.com"


def _seen_by_query_all(sf: Salesforce, ids: list[str]) -> list[str]:
    quoted = ",".join(f"'{i}'" for i in ids)
    rows = sf.query_all(f"SELECT Id FROM Lead WHERE Id IN ({quoted})", include_deleted=True)["records"]
    return sorted(r["Id"] for r in rows)


def test_simple_salesforce_hard_delete_on_both_apis(sf: Salesforce, fresh_server: Any) -> None:
    ids = [sf.Lead.create({"LastName": f"Hard{i}", "Company": "Acme"})["id"] for i in range(4)]
    one = sf.bulk.Lead.hard_delete([{"Id": ids[0]}, {"Id": ids[1]}])
    assert [(r["success"], r["id"]) for r in one] == [(True, ids[0]), (True, ids[1])]
    [two] = sf.bulk2.Lead.hard_delete(records=[{"Id": ids[2]}])
    assert (two["numberRecordsProcessed"], two["numberRecordsFailed"]) == (1, 0)
    sf.bulk.Lead.delete([{"Id": ids[3]}])
    assert _seen_by_query_all(sf, ids) == [ids[3]]  # only the plain delete left its record in the bin
    assert fresh_server.outbox() == []


def test_jsforce_bulk_hard_delete_needs_the_permission(js: Jsforce) -> None:
    [created] = js("bulkLoad", sobject="Lead", operation="insert",
                   records=[{"LastName": "Kept", "Company": "A"}])
    refused = js.run("bulkLoad", username=STANDARD_USER, sobject="Lead", operation="hardDelete",
                     records=[{"Id": created["id"]}])
    assert refused["ok"] is False
    assert (refused["error"]["name"], refused["error"]["message"]) == \
        ("FeatureNotEnabled", HARD_DELETE_REFUSED)
    [deleted] = js("bulkLoad", sobject="Lead", operation="hardDelete", records=[{"Id": created["id"]}])
    assert (deleted["success"], deleted["id"]) == (True, created["id"])


def _cli(server: Any, home: Any, username: str) -> SfCli:
    installed()
    token = httpx.post(f"{server.http_url}/services/oauth2/token", data=LOGIN | {
        "username": username, "password": PASSWORD + TOKEN}, timeout=30).json()["access_token"]
    cli = SfCli(server, home)
    assert cli.login(token)["username"] == username
    return cli


def test_sf_data_delete_bulk_hard_delete(sf: Salesforce, fresh_server: Any, tmp_path) -> None:
    ids = [sf.Lead.create({"LastName": f"Cli{i}", "Company": "Acme"})["id"] for i in range(2)]
    source = tmp_path / "ids.csv"
    source.write_text("Id\n" + "".join(f"{i}\n" for i in ids))
    other = _cli(fresh_server, tmp_path / "other", STANDARD_USER)
    args = ("data", "delete", "bulk", "--file", str(source), "--sobject", "Lead", "--hard-delete",
            "--wait", "5")
    refused = other.json(*args)
    assert refused["status"] == 1 and refused["message"].startswith(
        'You must have the "Bulk API Hard Delete" system permission to use the --hard-delete flag.'), refused
    assert _seen_by_query_all(sf, ids) == sorted(ids)
    admin = _cli(fresh_server, tmp_path / "admin", "admin@acme.example")
    done = admin.json(*args)
    assert done["status"] == 0, done
    assert (done["result"]["jobInfo"]["operation"], done["result"]["jobInfo"]["numberRecordsProcessed"]) == \
        ("hardDelete", 2)
    assert _seen_by_query_all(sf, ids) == []
