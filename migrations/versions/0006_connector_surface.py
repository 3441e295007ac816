"""OAuth refresh tokens, authorization codes and connected-app certificates; the Organization fields the sf
CLI reads (TrialExpirationDate, NamespacePrefix)

Revision ID: 0004_connector_surface
Revises: 0003
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_connector_surface"
down_revision = "0004_hardening"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sobj_organization") as batch:
        batch.add_column(sa.Column("TrialExpirationDate", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("NamespacePrefix", sa.String(length=18), nullable=True))
    op.create_table(
        "oauth_refresh_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("org_id", sa.String(length=18), nullable=False),
        sa.Column("user_id", sa.String(length=18), nullable=False),
        sa.Column("client_id", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_table(
        "oauth_codes",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("org_id", sa.String(length=18), nullable=False),
        sa.Column("user_id", sa.String(length=18), nullable=False),
        sa.Column("client_id", sa.String(length=255), nullable=False),
        sa.Column("redirect_uri", sa.Text(), nullable=False),
        sa.Column("code_challenge", sa.String(length=255), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("code_hash"),
    )
    op.create_table(
        "connected_app_oauth",
        sa.Column("client_id", sa.String(length=255), nullable=False),
        sa.Column("certificate", sa.Text(), nullable=True),
        sa.Column("refresh_tokens", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["connected_apps.client_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("client_id"),
    )


def downgrade() -> None:
    op.drop_table("connected_app_oauth")
    op.drop_table("oauth_codes")
    op.drop_table("oauth_refresh_tokens")
    with op.batch_alter_table("sobj_organization") as batch:
        batch.drop_column("NamespacePrefix")
        batch.drop_column("TrialExpirationDate")
