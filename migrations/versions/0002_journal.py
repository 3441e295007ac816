"""request journal

Revision ID: 0002
Revises: 0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "journal",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=18), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("door", sa.String(length=10), nullable=False),
        sa.Column("operation", sa.String(length=40), nullable=False),
        sa.Column("sobject", sa.String(length=40), nullable=True),
        sa.Column("user_id", sa.String(length=18), nullable=True),
        sa.Column("assignment", sa.String(length=40), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("record_count", sa.Integer(), nullable=False),
        sa.Column("results", sa.Text(), nullable=False),
        sa.Column("error", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_journal_org", "journal", ["org_id", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_journal_org", table_name="journal")
    op.drop_table("journal")
