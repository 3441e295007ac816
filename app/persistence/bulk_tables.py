"""The Bulk API's bookkeeping: jobs, their batches (the rows to load, as uploaded) and one result per row.

A batch's `done` is the worker's cursor: the rows before it have their results and their records written, in
the same transaction that moved it (sfmock.bulk.worker), so a restart neither loses nor repeats a chunk.
"""
from __future__ import annotations

import sqlalchemy as sa

from sfmock.persistence.tables import metadata

bulk_jobs = sa.Table(
    "bulk_jobs",
    metadata,
    sa.Column("id", sa.String(18), primary_key=True),
    sa.Column("org_id", sa.String(18), sa.ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    sa.Column("user_id", sa.String(18), nullable=False),
    # "V1" (Bulk API 1.0), "V2Ingest" or "V2Query" (Bulk API 2.0's jobType).
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("operation", sa.String(20), nullable=False),
    sa.Column("object", sa.String(80), nullable=False),
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("content_type", sa.String(20), nullable=False),
    sa.Column("concurrency_mode", sa.String(10), nullable=False),
    sa.Column("external_id_field", sa.String(80), nullable=True),
    sa.Column("assignment_rule_id", sa.String(18), nullable=True),
    sa.Column("line_ending", sa.String(4), nullable=True),
    sa.Column("column_delimiter", sa.String(10), nullable=True),
    sa.Column("api_version", sa.String(8), nullable=False),
    sa.Column("query", sa.Text, nullable=True),
    # Bulk 2.0 ingest: the CSV header line exactly as uploaded (result files repeat it).
    sa.Column("header", sa.Text, nullable=True),
    sa.Column("error_message", sa.Text, nullable=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("modstamp", sa.DateTime, nullable=False),
    sa.Index("ix_bulk_jobs_org", "org_id", "id"),
)

bulk_batches = sa.Table(
    "bulk_batches",
    metadata,
    sa.Column("id", sa.String(18), primary_key=True),
    sa.Column("job_id", sa.String(18), sa.ForeignKey("bulk_jobs.id", ondelete="CASCADE"), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("state_message", sa.Text, nullable=True),
    sa.Column("total", sa.Integer, nullable=False),
    sa.Column("done", sa.Integer, nullable=False),
    sa.Column("failed", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("modstamp", sa.DateTime, nullable=False),
    sa.Index("ix_bulk_batches_job", "job_id", "seq"),
    sa.Index("ix_bulk_batches_state", "state"),
)

# A batch's data, apart from its state: the worker moves the batch's cursor once per chunk, and SQLite
# rewrites a whole row on update, so megabytes of rows kept in bulk_batches would be rewritten with every
# chunk.
bulk_batch_data = sa.Table(
    "bulk_batch_data",
    metadata,
    sa.Column("batch_id", sa.String(18), sa.ForeignKey("bulk_batches.id", ondelete="CASCADE"),
              primary_key=True),
    # JSON: the request as the worker reads it (ingest: a list of {field: value}; query: {"soql": …}).
    sa.Column("rows", sa.Text, nullable=False),
    # The request body as uploaded (Bulk 1.0 GET …/batch/{id}/request).
    sa.Column("request", sa.Text, nullable=False),
)

bulk_results = sa.Table(
    "bulk_results",
    metadata,
    sa.Column("batch_id", sa.String(18), sa.ForeignKey("bulk_batches.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("row_no", sa.Integer, primary_key=True),
    sa.Column("record_id", sa.String(18), nullable=True),
    sa.Column("success", sa.Boolean, nullable=False),
    sa.Column("created", sa.Boolean, nullable=False),
    # JSON: [[statusCode, message, [fields]], ...] for a failed row; for a query, the record's values.
    sa.Column("data", sa.Text, nullable=True),
)
