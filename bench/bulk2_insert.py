"""A 100,000-row Bulk API 2.0 insert of Leads with the active Lead rule named in assignmentRuleId, on a real
server (its own process, like `make run`), and the latency of other calls made while the job runs.

    python bench/bulk2_insert.py [--rows 100000] [--database-url URL]

Reports the job's wall time from UploadComplete to JobComplete, its rows per second, and p50/p99 of a
single-record GET and a REST create issued one after another while the worker loads. Numbers, not assertions.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sfmock.pytest_plugin import start_server, stop_server

V = "/services/data/v59.0"
LOGIN = {"grant_type": "password", "client_id": "sfmock-demo-client", "client_secret": "sfmock-demo-secret",
         "username": "admin@acme.example", "password": "sfmock-passwordSFMOCKTOKEN"}


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else float("nan")


def run(rows: int, database_url: str | None) -> None:
    folder = Path(tempfile.mkdtemp(prefix="sfmock-bench-bulk-"))
    server = start_server(folder, database_url, args=("--load-demo-if-empty",))
    try:
        client = httpx.Client(base_url=server.http_url, timeout=120)
        token = client.post("/services/oauth2/token", data=LOGIN).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        rules = client.get(f"/_sfmock/orgs/{client.get('/_sfmock/orgs').json()[0]['id']}/rules").json()
        rule = next(r["Id"] for r in rules if r["Name"] == "Standard Routing")
        probe = client.post(f"{V}/sobjects/Lead/", json={"LastName": "Probe", "Company": "Acme"},
                            headers=auth)
        probe_id = probe.json()["id"]
        countries = ("India", "France", "Germany", "India")
        data = "LastName,Company,Country,AnnualRevenue\n" + "".join(
            f"Bulk{i},Company {i},{countries[i % 4]},{(i % 7) * 5_000_000}\n" for i in range(rows))
        job = client.post(f"{V}/jobs/ingest", json={"object": "Lead", "operation": "insert",
                                                    "assignmentRuleId": rule}, headers=auth).json()
        upload_started = time.perf_counter()
        put = client.put(f"{V}/jobs/ingest/{job['id']}/batches", content=data.encode(),
                         headers=auth | {"Content-Type": "text/csv"})
        assert put.status_code == 201, put.text
        upload = time.perf_counter() - upload_started
        started = time.perf_counter()
        client.patch(f"{V}/jobs/ingest/{job['id']}", json={"state": "UploadComplete"}, headers=auth)
        latencies: dict[str, list[float]] = {"GET record": [], "REST create": []}
        done = threading.Event()

        def other_calls() -> None:
            other = httpx.Client(base_url=server.http_url, timeout=120)
            i = 0
            while not done.is_set():
                t0 = time.perf_counter()
                if i % 2:
                    other.post(f"{V}/sobjects/Lead/", json={"LastName": f"Side{i}", "Company": "Acme"},
                               headers=auth | {"Sforce-Auto-Assign": "FALSE"})
                    latencies["REST create"].append((time.perf_counter() - t0) * 1000)
                else:
                    other.get(f"{V}/sobjects/Lead/{probe_id}", headers=auth)
                    latencies["GET record"].append((time.perf_counter() - t0) * 1000)
                i += 1
                time.sleep(0.02)

        side = threading.Thread(target=other_calls)
        side.start()
        while True:
            info = client.get(f"{V}/jobs/ingest/{job['id']}", headers=auth).json()
            if info["state"] in ("JobComplete", "Failed", "Aborted"):
                break
            time.sleep(0.25)
        elapsed = time.perf_counter() - started
        done.set()
        side.join()
        print(f"sfmock Bulk 2.0 bench: {rows} Leads with assignmentRuleId ({server.http_url})")
        print(f"  upload {upload:.1f} s; job {info['state']} in {elapsed:.1f} s "
              f"({rows / elapsed:.0f} rows/s); processed {info['numberRecordsProcessed']}, "
              f"failed {info['numberRecordsFailed']}")
        for name, values in latencies.items():
            print(f"  {name:12} while loading: n={len(values)} p50 {statistics.median(values):.1f} ms "
                  f"p99 {_percentile(values, 0.99):.1f} ms")
    finally:
        stop_server(server)
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temporary folder")
    args = parser.parse_args()
    run(args.rows, args.database_url)


if __name__ == "__main__":
    main()
