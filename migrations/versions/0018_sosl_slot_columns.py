"""SOSL index on SQLite: each short text slot is a column of its own in the FTS5 tables, so IN EMAIL FIELDS /
IN PHONE FIELDS can name the slots an org maps its custom email and phone fields to (PostgreSQL's stored
vector is unchanged: the org's slots are rechecked at search time)

Revision ID: 0018_sosl_slot_columns
Revises: 0012_token_family
"""

from __future__ import annotations

from alembic import op

from sfmock.persistence import search_index

revision = "0018_sosl_slot_columns"
down_revision = "0012_token_family"
branch_labels = None
depends_on = None


def _rebuild(*, per_slot: bool) -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    # Triggers and FTS5 tables made afresh in the layout asked for, and the rows re-indexed.
    search_index.uninstall(conn)
    search_index.install(conn, per_slot=per_slot)


def upgrade() -> None:
    _rebuild(per_slot=True)


def downgrade() -> None:
    _rebuild(per_slot=False)
