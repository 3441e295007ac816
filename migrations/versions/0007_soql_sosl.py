"""SOSL search index: FTS5 tables and triggers (SQLite) or weighted tsvector GIN indexes (PostgreSQL)

Revision ID: 0004_soql_sosl
Revises: 0003
"""

from __future__ import annotations

from alembic import op

from sfmock.persistence import search_index

revision = "0004_soql_sosl"
down_revision = "0004_connector_surface"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The FTS5 layout of its time (one "other" column for every slot); 0018 gives each short slot its own.
    search_index.install(op.get_bind(), per_slot=False)


def downgrade() -> None:
    search_index.uninstall(op.get_bind())
