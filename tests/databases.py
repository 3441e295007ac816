"""Throwaway databases for tests: a SQLite file, or a fresh PostgreSQL database when
SFMOCK_TEST_DATABASE_URL names a server."""
from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa


def backends() -> list[str]:
    return ["sqlite", "postgresql"] if os.environ.get("SFMOCK_TEST_DATABASE_URL") else ["sqlite"]


@contextmanager
def throwaway_database(backend: str, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'sfmock-test.db'}"
        return
    server = sa.engine.make_url(os.environ["SFMOCK_TEST_DATABASE_URL"])
    name = f"sfmock_test_{secrets.token_hex(4)}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
