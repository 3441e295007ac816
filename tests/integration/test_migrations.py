"""The schema comes only from the Alembic migrations, and they build exactly the tables the code describes."""
from __future__ import annotations

import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from sfmock.persistence.db import Database
from sfmock.persistence.tables import metadata


def test_migrations_match_the_tables(migrated_db: Database) -> None:
    with migrated_db.engine.connect() as conn, warnings.catch_warnings():
        # Alembic cannot compare expression indexes (lower("Username")) and says so; the rest it compares.
        warnings.filterwarnings("ignore", message=".*(functional|expression).*")
        # The SOSL index (FTS5 tables on SQLite, GIN indexes on PostgreSQL) lives beside the tables, not in
        # their metadata (sfmock.persistence.search_index).
        opts = {"include_name": lambda name, kind, parent: not (
            (kind == "table" and name.startswith("search_"))
            or (kind == "index" and name.startswith("ix_search_")))}
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), metadata)
    assert diff == []


def test_0005_keeps_live_sessions_and_apps_working_as_digests(tmp_path) -> None:
    import sqlalchemy as sa
    from alembic import command

    from sfmock.core.auth import secret_digest, secret_matches
    from sfmock.persistence.migrate import alembic_config, upgrade

    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0003")
    db = Database(url)
    try:
        with db.session() as sql:
            sql.execute(sa.text("INSERT INTO orgs (id, number, name, created_at, settings) VALUES "
                                "('00D000000000001AAA', 1, 'Old', CURRENT_TIMESTAMP, '{}')"))
            sql.execute(sa.text("INSERT INTO sessions VALUES ('00D000000000001!AQtoken', "
                                "'00D000000000001AAA', "
                                "'005000000000001AAA', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0)"))
            sql.execute(sa.text("INSERT INTO connected_apps VALUES ('ck', '00D000000000001AAA', 'App', 'cs', "
                                "NULL)"))
        upgrade(url)
        with db.session() as sql:
            assert sql.execute(sa.text("SELECT token FROM sessions")).scalar_one() == \
                secret_digest("00D000000000001!AQtoken")
            assert secret_matches(
                sql.execute(sa.text("SELECT client_secret FROM connected_apps")).scalar_one(), "cs"
            )
    finally:
        db.dispose()
