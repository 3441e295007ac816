"""A server killed in the middle of a Bulk 2.0 job finishes the job after a restart, applying every row once:
the process dies inside a chunk's transaction (after writing its records, before the commit), a new server on
the same database picks the job up where the last committed chunk left it."""
from __future__ import annotations

import time

import httpx
import pytest

from sfmock.pytest_plugin import start_server, stop_server
from tests.databases import backends, throwaway_database

pytestmark = pytest.mark.e2e

ROWS = 1000  # five chunks of 200 at least
CRASH_AT = 3
# A bound that only catches a hang (never asserted): a fresh process's first SOQL call builds the parser,
# which takes seconds on a busy machine, over httpx's default of 5 s.
TIMEOUT = 60


def _token(base: str) -> str:
    form = {"grant_type": "password", "client_id": "sfmock-demo-client",
            "client_secret": "sfmock-demo-secret",
            "username": "admin@acme.example", "password": "sfmock-passwordSFMOCKTOKEN"}
    return httpx.post(f"{base}/services/oauth2/token", data=form, timeout=30).json()["access_token"]


def _wait_for(predicate, what: str):
    # A bound that only catches a hang; the test asserts outcomes, never durations.
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


@pytest.mark.parametrize("backend", backends())
def test_a_job_survives_a_crash_and_is_applied_once(backend, tmp_path, monkeypatch) -> None:
    with throwaway_database(backend, tmp_path) as db_url:
        monkeypatch.setenv("SFMOCKTEST_BULK_CRASH_AT_CHUNK", str(CRASH_AT))
        first = start_server(tmp_path, db_url, args=("--load-demo-if-empty",), log_name="first.log")
        monkeypatch.delenv("SFMOCKTEST_BULK_CRASH_AT_CHUNK")
        try:
            base = first.http_url
            headers = {"Authorization": f"Bearer {_token(base)}"}
            jobs = f"{base}/services/data/v59.0/jobs/ingest"
            job = httpx.post(jobs, json={"object": "Lead", "operation": "insert"}, headers=headers,
                             timeout=TIMEOUT).json()
            data = "LastName,Company\n" + "".join(f"Crash{i},Acme\n" for i in range(ROWS))
            put = httpx.put(f"{jobs}/{job['id']}/batches", content=data.encode(),
                            headers=headers | {"Content-Type": "text/csv"}, timeout=TIMEOUT)
            assert put.status_code == 201
            httpx.patch(f"{jobs}/{job['id']}", json={"state": "UploadComplete"}, headers=headers,
                        timeout=TIMEOUT)
            assert first.process.wait(timeout=300) == 17  # the hook's exit: killed inside chunk 3
        finally:
            stop_server(first)
        second = start_server(tmp_path, db_url, log_name="second.log")
        try:
            base = second.http_url
            headers = {"Authorization": f"Bearer {_token(base)}"}
            jobs = f"{base}/services/data/v59.0/jobs/ingest"

            def complete():
                info = httpx.get(f"{jobs}/{job['id']}", headers=headers, timeout=TIMEOUT).json()
                return info if info["state"] == "JobComplete" else None

            info = _wait_for(complete, "the job to complete after the restart")
            assert (info["numberRecordsProcessed"], info["numberRecordsFailed"]) == (ROWS, 0)
            soql = "SELECT COUNT() FROM Lead WHERE Company = 'Acme' AND LastName LIKE 'Crash%'"
            count = httpx.get(f"{base}/services/data/v59.0/query", headers=headers, params={"q": soql},
                              timeout=TIMEOUT)
            assert count.json()["totalSize"] == ROWS
            ok = httpx.get(f"{jobs}/{job['id']}/successfulResults", headers=headers,
                           timeout=TIMEOUT).text.splitlines()[1:]
            assert len(ok) == ROWS and len({line.split(",")[0] for line in ok}) == ROWS
        finally:
            stop_server(second)
