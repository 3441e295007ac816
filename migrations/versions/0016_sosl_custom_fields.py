"""SOSL index rebuilt: custom fields' text slots searched; PostgreSQL keeps the weighted tsvector in a stored
generated column (GIN-indexed) instead of an expression index, so phrase and field-group rechecks read it

Revision ID: 0012_sosl_custom_fields
Revises: 0012_bulk_hard_delete
"""

from __future__ import annotations

from alembic import op

from sfmock.persistence import search_index

revision = "0012_sosl_custom_fields"
down_revision = "0012_bulk_hard_delete"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Triggers, FTS5 tables, indexes and the column are dropped and made afresh from the current definition
    # (search_index.install is idempotent only for objects that do not exist yet), and the rows re-indexed.
    search_index.uninstall(op.get_bind())
    search_index.install(op.get_bind(), per_slot=False)  # the FTS5 layout of its time (0018 changes it)


def downgrade() -> None:
    # The index 0007 made is the one search_index makes now (0007 calls the same code): nothing to undo here;
    # downgrading past 0007 removes it.
    pass
