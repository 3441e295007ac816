"""bulk hard delete: the users' "Bulk API Hard Delete" permission

Revision ID: 0012_bulk_hard_delete
Revises: 0012_metadata
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_bulk_hard_delete"
down_revision = "0012_metadata"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sobj_user") as batch:
        batch.add_column(sa.Column("PermissionsBulkApiHardDelete", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sobj_user") as batch:
        batch.drop_column("PermissionsBulkApiHardDelete")
