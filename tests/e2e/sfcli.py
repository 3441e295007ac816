"""The Salesforce CLI (`sf`, pinned in tests/e2e/sfcli/package.json) run against a live sfmock server, with
its own temporary HOME, so that its config, auth files and caches never touch the user's and every test starts
from a fresh CLI. Reusable by any e2e test: `SfCli(server, tmp_path).login()`, then `cli.json("data",
"import", …)`.

Login is `sf org login access-token` with SF_ACCESS_TOKEN (an OAuth token from sfmock, shaped `00D…!…` as the
CLI requires); the CLI then reads /services/oauth2/userinfo, the User, /services/data and the Organization.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

SFCLI_DIR = Path(__file__).resolve().parent / "sfcli"
PINNED = json.loads((SFCLI_DIR / "package.json").read_text())["dependencies"]["@salesforce/cli"]
BIN = SFCLI_DIR / "node_modules" / ".bin" / "sf"


def installed() -> str:
    """The pinned CLI in tests/e2e/sfcli/node_modules (`npm ci` when missing); skips without Node.js."""
    if shutil.which("node") is None:
        pytest.skip("`node` is not on PATH: the sf CLI e2e tests need Node.js (>= 20) and npm")
    manifest = SFCLI_DIR / "node_modules" / "@salesforce" / "cli" / "package.json"
    if not manifest.is_file() or json.loads(manifest.read_text())["version"] != PINNED:
        done = subprocess.run(["npm", "ci", "--prefix", str(SFCLI_DIR), "--no-audit", "--no-fund",
                               "--ignore-scripts"], capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            pytest.fail(f"npm ci for the sf CLI failed:\n{done.stdout}\n{done.stderr}", pytrace=False)
    return json.loads(manifest.read_text())["version"]


class SfCli:
    def __init__(self, server: Any, home: Path, *, alias: str = "sfmock") -> None:
        self.server, self.home, self.alias = server, home, alias
        home.mkdir(parents=True, exist_ok=True)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("SF_", "SFDX_"))} | {
            "HOME": str(home), "SF_DISABLE_TELEMETRY": "true", "SF_AUTOUPDATE_DISABLE": "true",
            "SF_SKIP_NEW_VERSION_CHECK": "true", "SF_HIDE_RELEASE_NOTES": "true", "NO_COLOR": "1",
            "NODE_EXTRA_CA_CERTS": str(server.ca_file)}

    def run(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([str(BIN), *args], capture_output=True, text=True, timeout=300,
                              env=self.env | (env or {}), cwd=self.home)

    def json(self, *args: str, target_org: bool = True, env: dict[str, str] | None = None) -> dict[str, Any]:
        """The command's --json answer (its exit code is in the answer's `status`)."""
        extra = ["--target-org", self.alias] if target_org else []
        done = self.run(*args, *extra, "--json", env=env)
        try:
            return json.loads(done.stdout)
        except ValueError:
            raise AssertionError(f"sf {' '.join(args)} printed no JSON ({done.returncode}):\n{done.stdout}\n"
                                 f"{done.stderr}") from None

    def login(self, access_token: str) -> dict[str, Any]:
        done = self.run("org", "login", "access-token", "--instance-url", self.server.http_url, "--no-prompt",
                        "--alias", self.alias, "--json", env={"SF_ACCESS_TOKEN": access_token})
        answer = json.loads(done.stdout)
        assert answer["status"] == 0, answer
        return answer["result"]
