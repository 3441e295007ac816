"""The sfmock pytest plugin (entry point `pytest11`): a real sfmock server for the test session and a fresh,
isolated org for each test.

    def test_lead_is_routed(sfmock_org):
        sf = Salesforce(instance_url=sfmock_org.instance_url, session_id=sfmock_org.access_token(),
                        session=sfmock_org.http_session())
        sf.Lead.create({"LastName": "Rao", "Company": "Acme", "Country": "India"})
        assert sfmock_org.outbox() == []  # REST assigns but never sends the notification
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _request(method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> Any:
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    with urllib.request.urlopen(req, timeout=60) as response:  # noqa: S310 - loopback URL built here
        text = response.read()
    return json.loads(text) if text else None


@dataclass
class SfmockServer:
    """A running sfmock: its URLs, its CA file (for HTTPS clients) and its log."""

    http_url: str
    https_url: str
    ca_file: Path
    log_file: Path
    process: subprocess.Popen = field(repr=False)

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        return _request(method, f"{self.http_url}/_sfmock{path}", data, {"Content-Type": "application/json"})

    def create_org(self, metadata_zip: bytes | None = None) -> SfmockOrg:
        if metadata_zip is None:
            info = self.admin("POST", "/orgs", {"source": "demo"})
        else:
            info = _request("POST", f"{self.http_url}/_sfmock/orgs", metadata_zip,
                            {"Content-Type": "application/zip"})
        return SfmockOrg(self, info)


@dataclass
class SfmockOrg:
    """One org of the running server: its logins, connected app and URLs, and what it sent and received."""

    server: SfmockServer
    info: dict[str, Any]

    @property
    def id(self) -> str:
        return self.info["id"]

    @property
    def username(self) -> str:
        return self.info["logins"][0]["username"]

    @property
    def password(self) -> str:
        return self.info["logins"][0]["password"]

    @property
    def security_token(self) -> str:
        return self.info["logins"][0]["security_token"]

    @property
    def instance_url(self) -> str:
        return self.server.https_url

    @property
    def http_instance_url(self) -> str:
        return self.server.http_url

    @property
    def soap_login_url(self) -> str:
        return self.info["soap_login_url"]

    @property
    def soap_url(self) -> str:
        return self.info["soap_url"]

    @property
    def rest_url(self) -> str:
        """The REST base on the HTTPS listener (simple-salesforce forces https://)."""
        return self.info["rest_url"].replace(self.server.http_url, self.server.https_url, 1)

    @property
    def client_id(self) -> str:
        return self.info["connected_apps"][0]["client_id"]

    @property
    def client_secret(self) -> str:
        return self.info["connected_apps"][0]["client_secret"]

    def access_token(self) -> str:
        """An OAuth access token (username-password flow); it also works as a SOAP session id."""
        form = urllib.parse.urlencode({
            "grant_type": "password", "client_id": self.client_id, "client_secret": self.client_secret,
            "username": self.username, "password": self.password + (self.security_token or "")}).encode()
        answer = _request("POST", f"{self.server.http_url}/services/oauth2/token", form,
                          {"Content-Type": "application/x-www-form-urlencoded"})
        return answer["access_token"]

    def http_session(self) -> Any:
        """A requests.Session that trusts this server's generated CA (simple-salesforce forces https://)."""
        import requests

        session = requests.Session()
        # REQUESTS_CA_BUNDLE in the environment would override `verify`; this session talks to loopback only.
        session.trust_env = False
        session.verify = str(self.server.ca_file)
        return session

    def outbox(self, **filters: str) -> list[dict[str, Any]]:
        query = f"?{urllib.parse.urlencode(filters)}" if filters else ""
        return self.server.admin("GET", f"/orgs/{self.id}/outbox{query}")

    def journal(self, **filters: str) -> list[dict[str, Any]]:
        query = f"?{urllib.parse.urlencode(filters)}" if filters else ""
        return self.server.admin("GET", f"/orgs/{self.id}/journal{query}")

    def clear_outbox(self) -> None:
        self.server.admin("DELETE", f"/orgs/{self.id}/outbox")

    def reset(self) -> None:
        self.server.admin("POST", f"/orgs/{self.id}/reset")

    def inject_fault(self, kind: str, **rule: Any) -> dict[str, Any]:
        """Arms a fault rule on this org: kind REQUEST_LIMIT_EXCEEDED, UNABLE_TO_LOCK_ROW, INVALID_SESSION_ID,
        SERVER_UNAVAILABLE, DROP_CONNECTION or DELAY; rule: door, operation, sobject, count, probability,
        delay_ms (README, "Fault and latency injection")."""
        return self.server.admin("POST", f"/orgs/{self.id}/faults", {"kind": kind, **rule})

    def faults(self) -> list[dict[str, Any]]:
        return self.server.admin("GET", f"/orgs/{self.id}/faults")

    def clear_faults(self) -> None:
        self.server.admin("DELETE", f"/orgs/{self.id}/faults")

    def delete(self) -> None:
        self.server.admin("DELETE", f"/orgs/{self.id}")


def start_server(folder: Path, database_url: str | None = None, *, args: tuple[str, ...] = (),
                 log_name: str = "sfmock.log", settings: dict[str, str] | None = None) -> SfmockServer:
    """`sfmock serve [args]` on free ports with its own data folder, once /health answers. `args` are the
    serve options (for instance --load-demo-if-empty, or --org PATH); `settings` extra SFMOCK_* variables."""
    folder.mkdir(parents=True, exist_ok=True)
    http_port, https_port = _free_port(), _free_port()
    # The server must not inherit the caller's own SFMOCK_* settings (a public URL, a narrower API version range,
    # the admin API turned off, TLS files...): this server is the plugin's own.
    env = {k: v for k, v in os.environ.items() if not k.startswith("SFMOCK_")} | {
        "SFMOCK_DATABASE_URL": database_url or f"sqlite:///{folder / 'sfmock.db'}",
        "SFMOCK_PORT": str(http_port), "SFMOCK_HTTPS_PORT": str(https_port), "SFMOCK_HOST": "127.0.0.1",
        "SFMOCK_DATA_DIR": str(folder / "data"),
    } | (settings or {})
    log_file = folder / log_name
    with log_file.open("w") as log:
        process = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", *args], env=env, stdout=log,
                                   stderr=subprocess.STDOUT, cwd=Path(__file__).resolve().parent.parent)
    server = SfmockServer(f"http://127.0.0.1:{http_port}", f"https://127.0.0.1:{https_port}",
                          folder / "data" / "tls" / "ca.pem", log_file, process)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"sfmock exited early:\n{log_file.read_text()}")
        try:
            _request("GET", f"{server.http_url}/health")
            return server
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"sfmock did not start in time:\n{log_file.read_text()}")


def stop_server(server: SfmockServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture(scope="session")
def sfmock_server() -> Iterator[SfmockServer]:
    """A real sfmock server on free ports with a temporary database, for the whole test session."""
    with tempfile.TemporaryDirectory(prefix="sfmock-") as folder:
        server = start_server(Path(folder), os.environ.get("SFMOCK_PLUGIN_DATABASE_URL"))
        try:
            yield server
        finally:
            stop_server(server)


@pytest.fixture
def sfmock_org(sfmock_server: SfmockServer) -> Iterator[SfmockOrg]:
    """A fresh org (the demo org's definition) for one test, deleted afterwards."""
    org = sfmock_server.create_org()
    try:
        yield org
    finally:
        org.delete()


@pytest.fixture
def sfmock_fault(sfmock_org: SfmockOrg) -> Iterator[Any]:
    """Arms fault rules on the test's org: `sfmock_fault("UNABLE_TO_LOCK_ROW", sobject="Lead", count=1)`;
    every rule is disarmed when the test ends."""
    yield sfmock_org.inject_fault
    sfmock_org.clear_faults()
