"""The sfmock command: migrate, org load/list, outbox, reset; errors are one line and a non-zero exit."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sfmock.orgs.demo import DEMO_ORG_PATH
from sfmock.settings import PROJECT_ROOT


def sfmock(*args: str, db_url: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sfmock.cli", *args, "--database-url", db_url],
                          cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert sfmock("migrate", db_url=url).returncode == 0
    return url


def test_org_load_list_and_reset(db_url: str) -> None:
    loaded = sfmock("org", "load", str(DEMO_ORG_PATH), db_url=db_url)
    assert loaded.returncode == 0, loaded.stderr
    first = json.loads(loaded.stdout)
    assert first["name"] == "Acme Demo" and "admin@acme.example" in first["usernames"]
    # Usernames are unique across orgs: the same files again need unique logins.
    again = sfmock("org", "load", str(DEMO_ORG_PATH), db_url=db_url)
    assert again.returncode == 1
    assert again.stderr.startswith("sfmock: error: username already in use by another org: "
                                   "admin@acme.example")
    assert len(again.stderr.strip().splitlines()) == 1
    second = json.loads(sfmock("org", "load", "--unique-logins", str(DEMO_ORG_PATH), db_url=db_url).stdout)
    assert f"admin@acme.example.{second['id'][:15].lower()}" in second["usernames"]
    listed = sfmock("org", "list", db_url=db_url).stdout.splitlines()
    assert [line.split()[0] for line in listed] == [first["id"], second["id"]]
    assert sfmock("reset", db_url=db_url).returncode == 0
    assert len(sfmock("org", "list", db_url=db_url).stdout.splitlines()) == 1
    assert sfmock("reset", "--empty", db_url=db_url).returncode == 0
    assert sfmock("org", "list", db_url=db_url).stdout == ""


def test_outbox_prints_mail(db_url: str) -> None:
    from sfmock.calls import api_call, login
    from sfmock.core.options import ACTIVE_RULE
    from sfmock.core.results import RecordInput
    from sfmock.persistence.db import Database

    sfmock("org", "load", str(DEMO_ORG_PATH), db_url=db_url)
    db = Database(db_url)
    session = login(db, "admin@acme.example", "sfmock-passwordSFMOCKTOKEN", caller_ip=None).session_id
    with api_call(db, session, api="soap") as call:
        call.service.create([RecordInput("Case", {"Subject": "Printer on fire", "IsEscalated": "true"})],
                            assignment=ACTIVE_RULE, notify_owner=True)
    db.dispose()
    printed = sfmock("outbox", db_url=db_url).stdout.splitlines()
    assert len(printed) == 1
    unknown = sfmock("outbox", "--org", "00D00100000000ZAAA", db_url=db_url)
    assert (unknown.returncode, unknown.stdout) == (1, "")
    assert unknown.stderr == "sfmock: error: no org 00D00100000000ZAAA (see `sfmock org list`)\n"
    assert "to=testUser@org.com" in printed[0] and "Printer on fire has been assigned to you." in printed[0]


@pytest.mark.parametrize("args",
                         [("org", "load", "/no/such/folder"), ("org", "load", str(PROJECT_ROOT / "app"))])
def test_errors_are_one_line_and_non_zero(db_url: str, args: tuple[str, ...]) -> None:
    result = sfmock(*args, db_url=db_url)
    assert result.returncode == 1
    assert result.stderr.startswith("sfmock: error: ") and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("command",
                         [[], ["serve"], ["org"], ["org", "load"], ["outbox"], ["reset"], ["migrate"],
                                     ["fault"], ["fault", "add"], ["fault", "list"], ["fault", "clear"]])
def test_help_everywhere(command: list[str]) -> None:
    result = subprocess.run([sys.executable, "-m", "sfmock.cli", *command, "--help"], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("usage: sfmock")


def test_every_option_has_help() -> None:
    import argparse

    from sfmock.cli import build_parser

    def undescribed(parser: argparse.ArgumentParser, path: str) -> list[str]:
        found = []
        for action in parser._actions:  # noqa: SLF001 - argparse keeps no public list
            if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
                for name, sub in action.choices.items():
                    found += undescribed(sub, f"{path} {name}")
            elif not action.help:
                found.append(f"{path} {'/'.join(action.option_strings) or action.dest}")
        return found

    assert undescribed(build_parser(), "sfmock") == []


def test_version() -> None:
    from importlib.metadata import version

    result = subprocess.run([sys.executable, "-m", "sfmock.cli", "--version"], cwd=PROJECT_ROOT,
                            capture_output=True,
                            text=True, timeout=60)
    assert result.stdout == f"sfmock {version('sfmock')}\n"


@pytest.mark.parametrize(("args", "env", "message"), [
    (("org", "list"), {}, "sfmock: error: the database is not migrated: run `sfmock migrate` (or `sfmock "
                          "serve`, "
                          "which migrates)\n"),
    (("migrate",), {"SFMOCK_SMTP_TLS": "sometimes"}, "sfmock: error: bad setting SFMOCK_SMTP_TLS: Input "
                                                     "should be "
                                                      "'none', 'starttls' or 'ssl'\n"),
])
def test_one_line_errors_for_settings_and_unmigrated_databases(tmp_path: Path, args: tuple, env: dict,
                                                               message: str) -> None:
    import os

    result = subprocess.run([sys.executable, "-m", "sfmock.cli", *args, "--database-url",
                             f"sqlite:///{tmp_path / 'new.db'}"], cwd=PROJECT_ROOT, capture_output=True,
                            text=True, timeout=60, env=os.environ | env)
    assert (result.returncode, result.stderr) == (1, message)


def test_serve_refuses_a_taken_port_and_bad_workers_in_one_line(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "sfmock.cli", "serve", "--port", str(port),
                                 "--database-url",
                                 f"sqlite:///{tmp_path / 'x.db'}"], cwd=PROJECT_ROOT, capture_output=True,
                                text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.startswith(f"sfmock: error: cannot listen on 127.0.0.1:{port}: Address already in "
                                    f"use")
    assert len(result.stderr.splitlines()) == 1
    workers = subprocess.run([sys.executable, "-m", "sfmock.cli", "serve", "--workers", "0"],
                             cwd=PROJECT_ROOT,
                             capture_output=True, text=True, timeout=60)
    assert workers.returncode == 2
    assert workers.stderr.splitlines()[-1] == ("sfmock serve: error: argument --workers: must be a whole "
                                               "number "
                                               "from 1 to 64, not '0'")


def test_serve_org_loads_once_and_refuses_someone_elses_usernames(db_url: str, tmp_path: Path,
                                                                  capsys) -> None:
    import shutil

    from sfmock.cli import _load_at_start
    from sfmock.orgs.install import UsernameTaken
    from sfmock.persistence.db import Database

    globex = PROJECT_ROOT / "tests" / "fixtures" / "globex-sfdx"
    db = Database(db_url)
    sfmock("org", "load", str(DEMO_ORG_PATH), db_url=db_url)
    _load_at_start(db, str(globex))
    _load_at_start(db, str(globex))  # a restart: the same org, loaded once
    assert "already loaded" in capsys.readouterr().out
    edited = tmp_path / "globex"
    shutil.copytree(globex, edited)
    _load_at_start(db, str(edited))  # same files elsewhere: kept
    assert "already loaded" in capsys.readouterr().out
    toml = edited / "sfmock-org.toml"
    toml.write_text(toml.read_text() + "\n# edited\n")
    _load_at_start(db, str(edited))  # changed files: reloaded with the same id, and said so
    printed = capsys.readouterr().out
    assert f"reloaded from {edited}: its files changed" in printed
    _load_at_start(db, str(edited))
    assert "already loaded" in capsys.readouterr().out
    clash = tmp_path / "clash"
    shutil.copytree(globex, clash)
    toml = clash / "sfmock-org.toml"
    toml.write_text(toml.read_text() + '\n[[users]]\nusername = "admin@acme.example"\nlast_name = "Clash"\n'
                    'email = "clash@globex.example"\n')
    with pytest.raises(UsernameTaken):
        _load_at_start(db, str(clash))
    db.dispose()
    assert [line.split(None, 1)[1] for line in sfmock("org", "list", db_url=db_url).stdout.splitlines()] == [
        "Acme Demo", "Globex Corporation"]


def test_outbox_follow_prints_mail_as_it_is_written(db_url: str) -> None:
    from sfmock.calls import api_call, login
    from sfmock.core.options import ACTIVE_RULE
    from sfmock.core.results import RecordInput
    from sfmock.persistence.db import Database

    sfmock("org", "load", str(DEMO_ORG_PATH), db_url=db_url)
    follower = subprocess.Popen([sys.executable, "-m", "sfmock.cli", "outbox", "--follow", "--database-url",
                                 db_url],
                                cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True)
    try:
        db = Database(db_url)
        session = login(db, "admin@acme.example", "sfmock-passwordSFMOCKTOKEN", caller_ip=None).session_id
        with api_call(db, session, api="soap") as call:
            call.service.create([RecordInput("Case", {"Subject": "Follow me", "IsEscalated": "true"})],
                                assignment=ACTIVE_RULE, notify_owner=True)
        db.dispose()
        line = follower.stdout.readline()  # blocks until the follower prints the new row
        assert "to=testUser@org.com" in line and "Follow me" in line
    finally:
        follower.terminate()
        follower.wait(timeout=15)
        follower.stdout.close()


def test_fault_add_list_clear(db_url: str) -> None:
    org_id = json.loads(sfmock("org", "load", str(DEMO_ORG_PATH), db_url=db_url).stdout)["id"]
    added = sfmock("fault", "add", "--org", org_id, "--kind", "unable_to_lock_row", "--sobject", "Lead",
                   "--count", "2", db_url=db_url)
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout) | {"id": 0} == {"id": 0, "kind": "UNABLE_TO_LOCK_ROW", "door": None,
                                                   "operation": None, "sobject": "Lead", "remaining": 2,
                                                   "probability": None, "delay_ms": 0, "hits": 0}
    listed = sfmock("fault", "list", "--org", org_id, db_url=db_url).stdout.splitlines()
    assert [json.loads(line)["kind"] for line in listed] == ["UNABLE_TO_LOCK_ROW"]
    refused = sfmock("fault", "add", "--org", org_id, "--kind", "DELAY", db_url=db_url)
    assert refused.returncode == 1 and refused.stderr == "sfmock: error: a DELAY fault needs delay_ms > 0\n"
    unknown = sfmock("fault", "list", "--org", "00D000000000001AAA", db_url=db_url)
    assert unknown.returncode == 1 and unknown.stderr.startswith("sfmock: error: no org 00D000000000001AAA")
    assert sfmock("fault", "clear", "--org", org_id,
                  db_url=db_url).stdout == "sfmock: 1 fault rule(s) removed\n"
