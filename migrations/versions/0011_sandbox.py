"""sandbox: fault injection rules, the journal's injected fault, outbox delivery status

Revision ID: 0004_sandbox
Revises: 0003
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_sandbox"
down_revision = "0004_rules_mail"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "faults",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("org_id", sa.String(18), sa.ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("door", sa.String(10), nullable=True),
        sa.Column("operation", sa.String(40), nullable=True),
        sa.Column("sobject", sa.String(80), nullable=True),
        sa.Column("remaining", sa.Integer, nullable=True),
        sa.Column("probability", sa.Float, nullable=True),
        sa.Column("delay_ms", sa.Integer, nullable=False, server_default="0"),
        sa.Column("hits", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_faults_org", "faults", ["org_id", "id"])
    op.create_table(
        "org_sources",
        sa.Column("org_id", sa.String(18), sa.ForeignKey("orgs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("loaded_at", sa.DateTime, nullable=False),
    )
    with op.batch_alter_table("journal") as batch:
        batch.add_column(sa.Column("fault", sa.String(40), nullable=True))
        batch.add_column(sa.Column("record_ids", sa.Text, nullable=True))
        batch.add_column(sa.Column("headers", sa.Text, nullable=True))
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("delivery_status", sa.String(20), nullable=True))
        batch.add_column(sa.Column("delivery_error", sa.Text, nullable=True))
        batch.add_column(sa.Column("delivery_attempts", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("delivery_next_at", sa.DateTime, nullable=True))
        batch.add_column(sa.Column("delivered_at", sa.DateTime, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        for name in ("delivered_at", "delivery_next_at", "delivery_attempts", "delivery_error",
                     "delivery_status"):
            batch.drop_column(name)
    with op.batch_alter_table("journal") as batch:
        for name in ("headers", "record_ids", "fault"):
            batch.drop_column(name)
    op.drop_table("org_sources")
    op.drop_index("ix_faults_org", table_name="faults")
    op.drop_table("faults")
