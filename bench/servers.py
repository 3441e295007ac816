"""The processes a bench run measures: `sfmock serve` and a bare FastAPI app, each its own uvicorn process on
loopback (ports 9120-9139), and a throwaway PostgreSQL database when one is reachable."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.databases import throwaway_database

ROOT = Path(__file__).resolve().parent.parent
BARE = """
import sys, uvicorn
from fastapi import FastAPI
app = FastAPI()

@app.post("/bare")
def bare(payload: dict) -> dict:
    return {"id": "00Q000000000000AAA", "success": True, "errors": []}

@app.get("/health")
def health() -> dict:
    return {"status": "ok"}

uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", lifespan="off")
"""


def wait_health(port: int, process: subprocess.Popen, limit: float = 60.0) -> float:
    """Seconds until GET /health answers 200."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if process.poll() is not None:
            raise SystemExit(f"server on {port} exited early")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as answer:
                if answer.status == 200:
                    return time.perf_counter() - start
        except OSError:
            time.sleep(0.02)
    raise SystemExit(f"server on {port} did not answer /health in {limit} s")


@contextmanager
def bare_app(port: int) -> Iterator[subprocess.Popen]:
    process = subprocess.Popen([sys.executable, "-c", BARE, str(port)])
    try:
        wait_health(port, process)
        yield process
    finally:
        stop(process)


@contextmanager
def sfmock(folder: Path, database_url: str, port: int, *, workers: int = 1,
           args: tuple[str, ...] = ()) -> Iterator[tuple[subprocess.Popen, float]]:
    """`sfmock serve` (HTTP on `port`, HTTPS on port+1) and the seconds it took to answer /health."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SFMOCK_")} | {
        "SFMOCK_DATABASE_URL": database_url, "SFMOCK_PORT": str(port), "SFMOCK_HTTPS_PORT": str(port + 1),
        "SFMOCK_HOST": "127.0.0.1", "SFMOCK_DATA_DIR": str(folder / "data"),
        "SFMOCK_API_REQUEST_LIMIT": "1000000000"}
    log = (folder / f"sfmock-{port}.log").open("a")
    process = subprocess.Popen([sys.executable, "-m", "sfmock.cli", "serve", "--workers", str(workers),
                                *args],
                               env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    try:
        seconds = wait_health(port, process)
        yield process, seconds
    finally:
        stop(process)
        log.close()


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def rss_mb(pid: int) -> float:
    """Resident memory of a process (Linux /proc), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@contextmanager
def postgres_database(server_url: str, folder: Path) -> Iterator[str | None]:
    """A fresh database on the PostgreSQL server (tests/databases.py), dropped afterwards; None when the
    server is unreachable."""
    os.environ["SFMOCK_TEST_DATABASE_URL"] = server_url
    try:
        probe = sa.create_engine(server_url)
        with probe.connect():
            pass
        probe.dispose()
    except sa.exc.OperationalError:
        yield None
        return
    with throwaway_database("postgresql", folder) as url:
        yield url
