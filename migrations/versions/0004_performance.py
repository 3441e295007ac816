"""performance: the org's configuration version, and indexes for the common Lead/Case queries

Revision ID: 0004_performance
Revises: 0003
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_performance"
down_revision = "0003"
branch_labels = None
depends_on = None

# (table, column): the filters and sort orders CI suites run most (app.persistence.tables._QUERY_INDEXES).
_INDEXES = (("sobj_lead", "Company"), ("sobj_lead", "CreatedDate"), ("sobj_case", "CreatedDate"))


def upgrade() -> None:
    with op.batch_alter_table("orgs") as batch:
        batch.add_column(sa.Column("config_version", sa.BigInteger(), nullable=False, server_default="0"))
    for table, column in _INDEXES:
        op.create_index(f"ix_{table}_{column.lower()}", table, ["org_id", column])


def downgrade() -> None:
    for table, column in _INDEXES:
        op.drop_index(f"ix_{table}_{column.lower()}", table_name=table)
    with op.batch_alter_table("orgs") as batch:
        batch.drop_column("config_version")
