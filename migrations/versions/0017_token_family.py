"""token family: each access token remembers the refresh token it came with or from, so that revoking the
refresh token revokes them too

Revision ID: 0012_token_family
Revises: 0012_sosl_custom_fields
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_token_family"
down_revision = "0012_sosl_custom_fields"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("refresh_token_hash", sa.String(length=64), nullable=True))
        batch.create_index("ix_sessions_refresh_token", ["refresh_token_hash"])


def downgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.drop_index("ix_sessions_refresh_token")
        batch.drop_column("refresh_token_hash")
