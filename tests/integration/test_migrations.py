"""The schema comes only from the Alembic migrations, and they build exactly the tables the code describes."""
from __future__ import annotations

import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.persistence.db import Database
from app.persistence.tables import metadata


def test_migrations_match_the_tables(migrated_db: Database) -> None:
    with migrated_db.engine.connect() as conn, warnings.catch_warnings():
        # Alembic cannot compare expression indexes (lower("Username")) and says so; the rest it compares.
        warnings.filterwarnings("ignore", message=".*(functional|expression).*")
        # The SOSL index (FTS5 tables on SQLite, GIN indexes on PostgreSQL) lives beside the tables, not in
        # their metadata (app.persistence.search_index).
        opts = {"include_name": lambda name, kind, parent: not (
            kind == "table" and name.startswith("search_") or kind == "index" and name.startswith("ix_search_"))}
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), metadata)
    assert diff == []
