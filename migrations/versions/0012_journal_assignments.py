"""journal: what the assignment rule decided for each record of a call, recorded when it ran

Revision ID: 0012_journal_assignments
Revises: 0004_sandbox
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_journal_assignments"
down_revision = "0004_sandbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("journal") as batch:
        batch.add_column(sa.Column("assignments", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("journal") as batch:
        batch.drop_column("assignments")
