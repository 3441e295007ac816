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
import secrets
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


def free_ports(count: int) -> list[int]:
    """`count` distinct free ports: every socket stays bound until all are chosen (two calls of one bind-and-
    close may hand back the same port, and the server's HTTP and HTTPS listeners then collide)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


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
    log_file: Path | None
    # None for a server the plugin did not start (--sfmock-url / SFMOCK_URL).
    process: subprocess.Popen | None = field(repr=False)
    # The server's SFMOCK_ADMIN_TOKEN: every /_sfmock call presents it.
    admin_token: str | None = field(default=None, repr=False)

    def admin_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.admin_token}"} if self.admin_token else {}

    def admin(self, method: str, path: str, body: Any = None, content_type: str = "application/json") -> Any:
        data = body if isinstance(body, bytes) else json.dumps(body).encode() if body is not None else None
        return _request(method, f"{self.http_url}/_sfmock{path}", data,
                        {"Content-Type": content_type} | self.admin_headers())

    def create_org(self, metadata_zip: bytes | None = None, *, folder: str | Path | None = None) -> SfmockOrg:
        """A new org from the demo, a metadata zip, or a metadata folder (an SFDX project or MDAPI folder with
        sfmock-org.toml at its root), with logins unique to it."""
        if folder is not None:
            metadata_zip = zip_folder(Path(folder))
        if metadata_zip is None:
            info = self.admin("POST", "/orgs", {"source": "demo"})
        else:
            info = self.admin("POST", "/orgs", metadata_zip, "application/zip")
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
        """A requests.Session that trusts this server's CA (simple-salesforce forces https://) and sends what
        a client addresses to login.salesforce.com / test.salesforce.com to this server: simple-salesforce's
        own password login then works unchanged (sfmock.clients.salesforce_session)."""
        from sfmock.clients import salesforce_session

        return salesforce_session(self.server.https_url, self.server.ca_file)

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
                 log_name: str = "sfmock.log", admin_token: str | None = None,
                 settings: dict[str, str] | None = None) -> SfmockServer:
    """`sfmock serve [args]` on free ports with its own data folder, once /health answers. `args` are the
    serve options (for instance --load-demo-if-empty, or --org PATH); `admin_token` locks its /_sfmock API;
    `settings` extra SFMOCK_* variables."""
    folder.mkdir(parents=True, exist_ok=True)
    http_port, https_port = free_ports(2)
    # The server must not inherit the caller's own SFMOCK_* settings (a public URL, a narrower API version
    # range, the admin API turned off, TLS files...): this server is the plugin's own.
    env = {k: v for k, v in os.environ.items() if not k.startswith("SFMOCK_")} | {
        "SFMOCK_DATABASE_URL": database_url or f"sqlite:///{folder / 'sfmock.db'}",
        "SFMOCK_PORT": str(http_port), "SFMOCK_HTTPS_PORT": str(https_port), "SFMOCK_HOST": "127.0.0.1",
        "SFMOCK_DATA_DIR": str(folder / "data"),
    } | ({"SFMOCK_ADMIN_TOKEN": admin_token} if admin_token else {}) | (settings or {})
    log_file = folder / log_name
    with log_file.open("w") as log:
        process = subprocess.Popen([sys.executable, "-m", "sfmock.cli", "serve", *args], env=env, stdout=log,
                                   stderr=subprocess.STDOUT, cwd=Path(__file__).resolve().parent.parent)
    server = SfmockServer(f"http://127.0.0.1:{http_port}", f"https://127.0.0.1:{https_port}",
                          folder / "data" / "tls" / "ca.pem", log_file, process, admin_token)
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


def zip_folder(folder: Path) -> bytes:
    """A metadata folder as a zip (every file under one top-level directory), in memory."""
    import io
    import zipfile

    if not (folder / "sfmock-org.toml").is_file():
        raise FileNotFoundError(f"{folder} is not an org folder: it has no sfmock-org.toml")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and ".git" not in path.parts:
                archive.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}")
    return buffer.getvalue()


def remote_server(url: str, https_url: str | None, folder: Path) -> SfmockServer:
    """A server already running (a CI service container): its CA is fetched from /_sfmock/ca.pem."""
    base = url.rstrip("/")
    ca_file = folder / "sfmock-ca.pem"
    try:
        with urllib.request.urlopen(f"{base}/_sfmock/ca.pem", timeout=60) as answer:  # noqa: S310
            ca_file.write_bytes(answer.read())
    except (urllib.error.URLError, OSError) as error:
        raise RuntimeError(f"no sfmock server answers at {base}: {error}") from None
    return SfmockServer(base, (https_url or base).rstrip("/"), ca_file, None, None,
                        os.environ.get("SFMOCK_ADMIN_TOKEN") or None)


def stop_server(server: SfmockServer) -> None:
    if server.process is None:
        return
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("sfmock")
    group.addoption("--sfmock-url", default=None,
                    help="use the sfmock server running at this URL (default: SFMOCK_URL, else start one)")
    parser.addini("sfmock_url", "URL of a running sfmock server (else the plugin starts one)", default="")
    parser.addini("sfmock_https_url", "its HTTPS URL, when not the same as sfmock_url (SFMOCK_HTTPS_URL)",
                  default="")
    group.addoption("--sfmock-org-folder", default=None,
                    help="build each test's org from this metadata folder (default: the sfmock_org_folder "
                         "ini option, else the demo org)")
    parser.addini("sfmock_org_folder",
                  "metadata folder (SFDX project or MDAPI, with sfmock-org.toml) each test's "
                  "org is built from; relative to the rootdir", default="")


def _option(config: pytest.Config, flag: str, ini: str, env: str) -> str | None:
    return config.getoption(flag) or os.environ.get(env) or config.getini(ini) or None


@pytest.fixture(scope="session")
def sfmock_server(pytestconfig: pytest.Config) -> Iterator[SfmockServer]:
    """The sfmock server for the whole test session: the one at --sfmock-url / SFMOCK_URL / the sfmock_url ini
    option when given (its admin token, if it has one, from SFMOCK_ADMIN_TOKEN), else a real server started on
    free ports with a temporary database, its /_sfmock API locked with a random admin token that only this
    fixture's helpers present."""
    url = _option(pytestconfig, "sfmock_url", "sfmock_url", "SFMOCK_URL")
    with tempfile.TemporaryDirectory(prefix="sfmock-") as folder:
        if url:
            https = os.environ.get("SFMOCK_HTTPS_URL") or pytestconfig.getini("sfmock_https_url") or None
            yield remote_server(url, https, Path(folder))
            return
        server = start_server(Path(folder), os.environ.get("SFMOCK_PLUGIN_DATABASE_URL"),
                              admin_token=secrets.token_urlsafe(24))
        try:
            yield server
        finally:
            stop_server(server)


@pytest.fixture
def sfmock_org(sfmock_server: SfmockServer, request: pytest.FixtureRequest) -> Iterator[SfmockOrg]:
    """A fresh org for one test, deleted afterwards: built from the metadata folder given as the fixture's
    parameter (`@pytest.mark.parametrize("sfmock_org", ["path"], indirect=True)`), else --sfmock-org-folder /
    the sfmock_org_folder ini option, else the demo org's definition."""
    folder = getattr(request, "param", None) or _option(request.config, "sfmock_org_folder",
                                                        "sfmock_org_folder",
                                                        "SFMOCK_ORG_FOLDER")
    if folder is not None and not Path(folder).is_absolute():
        folder = Path(request.config.rootpath) / folder
    org = sfmock_server.create_org(folder=folder)
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
