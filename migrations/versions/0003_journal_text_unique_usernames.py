"""journal text columns; usernames unique across orgs

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("journal") as batch:
        batch.alter_column("sobject", type_=sa.Text(), existing_type=sa.String(length=40),
                           existing_nullable=True)
        batch.alter_column("assignment", type_=sa.Text(), existing_type=sa.String(length=40),
                           existing_nullable=True)
    op.create_index("uq_sobj_user_username_lower", "sobj_user", [sa.text('lower("Username")')], unique=True)


def downgrade() -> None:
    op.drop_index("uq_sobj_user_username_lower", table_name="sobj_user")
    with op.batch_alter_table("journal") as batch:
        batch.alter_column("sobject", type_=sa.String(length=40), existing_type=sa.Text(),
                           existing_nullable=True)
        batch.alter_column("assignment", type_=sa.String(length=40), existing_type=sa.Text(),
                           existing_nullable=True)
