"""performance: the org's configuration version, and indexes for the common Lead/Case queries

Revision ID: 0004_performance
Revises: 0003
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_performance"
down_revision = "0004_soql_sosl"
branch_labels = None
depends_on = None

# (table, column, indexed expressions): the filters and sort orders CI suites run most
# (sfmock.persistence.tables._QUERY_INDEXES); text as SOQL compares it, lower(column).
_INDEXES = (("sobj_lead", "Company", ('lower("Company")', '"Id"')),
            ("sobj_lead", "CreatedDate", ('"CreatedDate"',)),
            ("sobj_case", "CreatedDate", ('"CreatedDate"',)))


def upgrade() -> None:
    with op.batch_alter_table("orgs") as batch:
        batch.add_column(sa.Column("config_version", sa.BigInteger(), nullable=False, server_default="0"))
    for table, column, expressions in _INDEXES:
        op.create_index(f"ix_{table}_{column.lower()}", table, ["org_id", *(sa.text(e) for e in expressions)])


def downgrade() -> None:
    for table, column, _expressions in _INDEXES:
        op.drop_index(f"ix_{table}_{column.lower()}", table_name=table)
    with op.batch_alter_table("orgs") as batch:
        batch.drop_column("config_version")
