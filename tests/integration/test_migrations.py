"""The schema comes only from the Alembic migrations, and they build exactly the tables the code describes."""
from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from sfmock.persistence.db import Database
from sfmock.persistence.tables import metadata


def test_migrations_match_the_tables(migrated_db: Database) -> None:
    with migrated_db.engine.connect() as conn, warnings.catch_warnings():
        # Alembic cannot compare expression indexes (lower("Username")) and says so; the rest it compares.
        warnings.filterwarnings("ignore", message=".*(functional|expression).*")
        # The SOSL index (FTS5 tables on SQLite, GIN indexes on a generated column on PostgreSQL) lives beside
        # the tables, not in their metadata (sfmock.persistence.search_index).
        opts = {
            "include_name": lambda name, kind, parent: (
                not (
                    (kind == "table" and name.startswith("search_"))
                    or (kind == "index" and name.startswith("ix_search_"))
                    or (kind == "column" and name == "search_vector")
                )
            )
        }
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), metadata)
    assert diff == []


@contextmanager
def _old_database(tmp_path, revision: str, *statements: tuple[str, dict]) -> Iterator[Database]:
    """A database at `revision` holding one org and the rows `statements` insert, migrated to the head."""
    from alembic import command

    from sfmock.persistence.migrate import alembic_config, upgrade

    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), revision)
    db = Database(url)
    try:
        with db.session() as sql:
            sql.execute(sa.text("INSERT INTO orgs (id, number, name, created_at, settings) VALUES "
                                "('00D000000000001AAA', 1, 'Old', CURRENT_TIMESTAMP, '{}')"))
            for statement, params in statements:
                sql.execute(sa.text(statement), params)
        upgrade(url)
        yield db
    finally:
        db.dispose()


def test_0005_keeps_live_sessions_and_apps_working_as_digests(tmp_path) -> None:
    from sfmock.core.auth import secret_digest, secret_matches

    with _old_database(tmp_path, "0003",
                       ("INSERT INTO sessions VALUES ('00D000000000001!AQtoken', '00D000000000001AAA', "
                        "'005000000000001AAA', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0)", {}),
                       ("INSERT INTO connected_apps VALUES ('ck', '00D000000000001AAA', 'App', 'cs', NULL)",
                        {})) as db, db.session() as sql:
        assert sql.execute(sa.text("SELECT token FROM sessions")).scalar_one() == \
            secret_digest("00D000000000001!AQtoken")
        secret = sql.execute(sa.text("SELECT client_secret FROM connected_apps")).scalar_one()
        assert secret_matches(secret, "cs")


def test_0012_names_old_lead_conversion_rows_by_the_one_kind(tmp_path) -> None:
    mail = ("INSERT INTO outbox (org_id, recipient, subject, body, record_id, record_type, reason, api, "
            "created_at) VALUES ('00D000000000001AAA', 'rep@x.example', 's', 'b', '00Q000000000001AAA', "
            "'Lead', :reason, "
            "'soap', CURRENT_TIMESTAMP)")
    with _old_database(tmp_path, "0004_sandbox", (mail, {"reason": "lead_convert"}),
                       (mail, {"reason": "assignment"})) as db, db.session() as sql:
        assert sql.execute(sa.text("SELECT reason FROM outbox ORDER BY id")).scalars().all() == \
            ["lead_conversion", "assignment"]


def test_0018_gives_each_short_text_slot_its_own_search_column_and_back(tmp_path) -> None:
    """SQLite: after 0018 a Lead's slot value is in its own FTS5 column (so IN EMAIL FIELDS can name the slot
    of an org's email field), rows already there re-indexed; the downgrade folds the slots back into
    "other"."""
    from alembic import command

    from sfmock.persistence.migrate import alembic_config

    lead = ('INSERT INTO sobj_lead (org_id, "Id", "IsDeleted", "LastName", "Company", "Status", '
            '"IsConverted", cf_string_05, "CreatedDate", "LastModifiedDate", "SystemModstamp") VALUES '
            "('00D000000000001AAA', '00Q000000000001AAA', 0, 'Old', 'Co', 'Open', 0, 'alt@zephyr.example', "
            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")
    found = "SELECT count(*) FROM search_sobj_lead WHERE search_sobj_lead MATCH :term"
    with _old_database(tmp_path, "0012_token_family", (lead, {})) as db:  # the old layout, then 0018
        with db.session() as sql:
            assert sql.execute(sa.text(found), {"term": "{cf_string_05} : zephyr"}).scalar_one() == 1
            assert sql.execute(sa.text(found), {"term": "{other} : zephyr"}).scalar_one() == 0
        command.downgrade(alembic_config(str(db.engine.url)), "0012_token_family")
        with db.session() as sql:
            assert sql.execute(sa.text(found), {"term": "{other} : zephyr"}).scalar_one() == 1
