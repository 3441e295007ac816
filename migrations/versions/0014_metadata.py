"""metadata: Metadata API deploy and retrieve requests (0Af ids) with their results

Revision ID: 0012_metadata
Revises: 0012_lead_conversion_mail
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_metadata"
down_revision = "0012_lead_conversion_mail"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "metadata_requests",
        sa.Column("id", sa.String(18), primary_key=True),
        sa.Column("org_id", sa.String(18), sa.ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("result", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("metadata_requests")
