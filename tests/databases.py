"""Throwaway databases for tests: a SQLite file, or a fresh PostgreSQL database when
SFMOCK_TEST_DATABASE_URL names a server."""
from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
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


@contextmanager
def seeded_engine(backend: str, folder: Path, seed: Callable[[sa.Connection], None], *,
                  search: bool = False) -> Iterator[sa.Engine]:
    """An engine on a throwaway database holding sfmock's tables (and, with `search`, the SOSL index as the
    migrations install it), filled by `seed` in one transaction."""
    from sfmock.persistence import search_index
    from sfmock.persistence.tables import metadata

    with throwaway_database(backend, folder) as url:
        engine = sa.create_engine(url)
        metadata.create_all(engine)
        with engine.begin() as conn:
            if search:
                search_index.install(conn)
            seed(conn)
        yield engine
        engine.dispose()


@contextmanager
def rolled_back(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A connection whose work (cursor rows, test inserts) is rolled back afterwards."""
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()
