"""rules and mail: outbox sender and reply-to, auto-response rules, Web-to-Lead/Case submissions

Revision ID: 0004_rules_mail
Revises: 0003
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_rules_mail"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("sender_name", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("sender_email", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("reply_to", sa.String(length=255), nullable=True))
    op.create_table(
        "auto_response_rules",
        sa.Column("org_id", sa.String(length=18), sa.ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("sobject_type", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("entries", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("org_id", "sobject_type", "name"),
    )
    op.create_table(
        "web_submissions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=18), sa.ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("sobject", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("form", sa.Text(), nullable=False),
        sa.Column("record_id", sa.String(length=18), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_web_submissions_org", "web_submissions", ["org_id", "status", "at"])


def downgrade() -> None:
    op.drop_index("ix_web_submissions_org", table_name="web_submissions")
    op.drop_table("web_submissions")
    op.drop_table("auto_response_rules")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("reply_to")
        batch.drop_column("sender_email")
        batch.drop_column("sender_name")
