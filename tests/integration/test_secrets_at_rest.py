"""Secrets at rest: a copy of the database yields no token that works, no consumer secret, and the SQLite file
and its WAL are readable by their owner only."""

from __future__ import annotations

import os
import stat

import sqlalchemy as sa

from sfmock import calls
from sfmock.persistence.db import Database
from tests.integration.test_rest_fixtures import ADMIN, CLIENT_ID, CLIENT_SECRET, PASSWORD, V, api

__all__ = ["api"]


def test_the_sessions_table_holds_no_working_bearer_token(api):
    soap_session = calls.login(api.demo.db, ADMIN, PASSWORD, caller_ip=None).session_id
    with api.demo.db.session() as sql:
        stored = sql.execute(sa.text("SELECT token FROM sessions")).scalars().all()
    assert len(stored) >= 2 and api.token not in stored and soap_session not in stored
    for value in stored:
        assert api.get(f"{V}/limits", token=value).status_code == 401
        assert (
            api.client.get("/services/oauth2/userinfo", headers={"Authorization": f"Bearer {value}"}).text
            == "Bad_OAuth_Token"
        )
    # The tokens themselves still work, on both kinds of lookup, and revoking one by its value still works.
    assert api.get(f"{V}/limits").status_code == 200
    assert api.get(f"{V}/limits", token=soap_session).status_code == 200
    assert api.client.post("/services/oauth2/revoke", data={"token": soap_session}).status_code == 200
    assert api.get(f"{V}/limits", token=soap_session).status_code == 401


def test_the_consumer_secret_is_kept_as_a_digest(api):
    with api.demo.db.session() as sql:
        [stored] = (
            sql.execute(
                sa.text("SELECT client_secret FROM connected_apps WHERE client_id = :c"), {"c": CLIENT_ID}
            )
            .scalars()
            .all()
        )
    assert CLIENT_SECRET not in stored
    refused = api.client.post(
        "/services/oauth2/token",
        data={
            "grant_type": "password",
            "client_id": CLIENT_ID,
            "client_secret": stored,
            "username": ADMIN,
            "password": PASSWORD,
        },
    )
    assert refused.json() == {"error": "invalid_client", "error_description": "invalid client credentials"}


def test_the_sqlite_file_and_its_wal_are_private(tmp_path):
    old = os.umask(0o022)
    try:
        path = tmp_path / "private.db"
        db = Database(f"sqlite:///{path}")
        with db.session() as sql:
            sql.execute(sa.text("CREATE TABLE t (x INTEGER)"))
            sql.execute(sa.text("INSERT INTO t VALUES (1)"))
        files = [path, path.with_name("private.db-wal"), path.with_name("private.db-shm")]
        modes = {f.name: stat.S_IMODE(f.stat().st_mode) for f in files if f.exists()}
        db.dispose()
    finally:
        os.umask(old)
    assert "private.db-wal" in modes
    assert modes == {name: 0o600 for name in modes}


def test_an_existing_world_readable_sqlite_file_is_narrowed(tmp_path):
    path = tmp_path / "old.db"
    path.touch()
    path.chmod(0o644)
    Database(f"sqlite:///{path}").dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
