"""`sf data import bulk` and `sf data export bulk` (the real Salesforce CLI, pinned) against a real server:
Bulk API 2.0 jobs with no assignmentRuleId (the CLI never sends one), so no rule runs and no mail is
written."""
from __future__ import annotations

import csv
from typing import Any

import httpx
import pytest

from tests.e2e.sfcli import SfCli, installed

pytestmark = pytest.mark.e2e

LOGIN = {"grant_type": "password", "client_id": "sfmock-demo-client", "client_secret": "sfmock-demo-secret",
         "username": "admin@acme.example", "password": "sfmock-passwordSFMOCKTOKEN"}


@pytest.fixture
def cli(fresh_server: Any, tmp_path) -> SfCli:
    installed()
    token = httpx.post(f"{fresh_server.http_url}/services/oauth2/token", data=LOGIN, timeout=30).json()
    sf = SfCli(fresh_server, tmp_path / "home")
    assert sf.login(token["access_token"])["username"] == "admin@acme.example"
    return sf


def test_import_then_export_bulk(cli: SfCli, fresh_server: Any, tmp_path) -> None:
    source = tmp_path / "leads.csv"
    source.write_text("LastName,Company,Country\nCli1,Acme,India\nCli2,Acme,France\n,Acme,India\n")
    imported = cli.json("data", "import", "bulk", "--file", str(source), "--sobject", "Lead", "--wait", "5")
    # The CLI reads numberRecordsFailed from the job and exits 1 when a row failed.
    assert (imported["name"], imported["message"], imported["exitCode"]) == (
        "FailedRecordDetailsError", "Job finished being processed but failed to process 1 records.", 1)
    clean = tmp_path / "clean.csv"
    clean.write_text("LastName,Company\nCli3,Other\n")
    ok = cli.json("data", "import", "bulk", "--file", str(clean), "--sobject", "Lead", "--wait", "5")
    assert ok["status"] == 0, ok
    assert (ok["result"]["processedRecords"], ok["result"]["successfulRecords"],
            ok["result"]["failedRecords"]) \
        == (1, 1, 0)
    out = tmp_path / "out.csv"
    exported = cli.json("data", "export", "bulk", "--query",
                        "SELECT Id, LastName, OwnerId FROM Lead WHERE Company = 'Acme' ORDER BY LastName",
                        "--output-file", str(out), "--wait", "5")
    assert exported["status"] == 0 and exported["result"]["totalSize"] == 2
    rows = list(csv.DictReader(out.read_text().splitlines()))
    users = httpx.get(f"{fresh_server.http_url}/_sfmock/orgs", timeout=30).json()
    org_id = users[0]["id"]
    admin = next(u["Id"] for u in httpx.get(f"{fresh_server.http_url}/_sfmock/orgs/{org_id}/users").json()
                 if u["Username"] == "admin@acme.example")
    assert [(r["LastName"], r["OwnerId"]) for r in rows] == [("Cli1", admin), ("Cli2", admin)]
    assert fresh_server.outbox() == []
