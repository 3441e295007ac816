"""Bulk API jobs, batches and per-row results

Revision ID: 0004_bulk
Revises: 0003
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_bulk"
down_revision = "0004_performance"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bulk_jobs",
        sa.Column("id", sa.String(length=18), nullable=False),
        sa.Column("org_id", sa.String(length=18), nullable=False),
        sa.Column("user_id", sa.String(length=18), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("operation", sa.String(length=20), nullable=False),
        sa.Column("object", sa.String(length=80), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("content_type", sa.String(length=20), nullable=False),
        sa.Column("concurrency_mode", sa.String(length=10), nullable=False),
        sa.Column("external_id_field", sa.String(length=80), nullable=True),
        sa.Column("assignment_rule_id", sa.String(length=18), nullable=True),
        sa.Column("line_ending", sa.String(length=4), nullable=True),
        sa.Column("column_delimiter", sa.String(length=10), nullable=True),
        sa.Column("api_version", sa.String(length=8), nullable=False),
        sa.Column("query", sa.Text(), nullable=True),
        sa.Column("header", sa.Text(), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("modstamp", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_bulk_jobs_org", "bulk_jobs", ["org_id", "id"], unique=False)
    op.create_table(
        "bulk_batches",
        sa.Column("id", sa.String(length=18), nullable=False),
        sa.Column("job_id", sa.String(length=18), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("state_message", sa.Text(), nullable=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("modstamp", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["bulk_jobs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_bulk_batches_job", "bulk_batches", ["job_id", "seq"], unique=False)
    op.create_index("ix_bulk_batches_state", "bulk_batches", ["state"], unique=False)
    op.create_table(
        "bulk_batch_data",
        sa.Column("batch_id", sa.String(length=18), nullable=False),
        sa.Column("rows", sa.Text(), nullable=False),
        sa.Column("request", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["bulk_batches.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("batch_id"),
    )
    op.create_table(
        "bulk_results",
        sa.Column("batch_id", sa.String(length=18), nullable=False),
        sa.Column("row_no", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=18), nullable=True),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("created", sa.Boolean(), nullable=False),
        sa.Column("data", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["batch_id"], ["bulk_batches.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("batch_id", "row_no"),
    )


def downgrade() -> None:
    op.drop_table("bulk_results")
    op.drop_table("bulk_batch_data")
    op.drop_index("ix_bulk_batches_state", table_name="bulk_batches")
    op.drop_index("ix_bulk_batches_job", table_name="bulk_batches")
    op.drop_table("bulk_batches")
    op.drop_index("ix_bulk_jobs_org", table_name="bulk_jobs")
    op.drop_table("bulk_jobs")
