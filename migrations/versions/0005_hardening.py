"""secrets at rest: session tokens and connected-app consumer secrets kept as digests

Revision ID: 0004_hardening
Revises: 0003
"""
from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0004_hardening"
down_revision = "0004_org_schema"
branch_labels = None
depends_on = None

_PREFIX = "sha256$"


def secret_digest(secret: str) -> str:
    # The format of sfmock.core.auth.secret_digest at this revision (a migration does not follow later code).
    return _PREFIX + hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def _digest_column(table: str, key: str, column: str) -> None:
    """Every value of `column` not yet a digest becomes one (live sessions and apps keep working)."""
    conn = op.get_bind()
    t = sa.table(table, sa.column(key), sa.column(column))
    for row in conn.execute(sa.select(t.c[key], t.c[column])).all():
        value = row[1]
        if value is not None and not value.startswith(_PREFIX):
            conn.execute(sa.update(t).where(t.c[key] == row[0]).values({column: secret_digest(value)}))


def upgrade() -> None:
    _digest_column("sessions", "token", "token")
    _digest_column("connected_apps", "client_id", "client_secret")


def downgrade() -> None:
    # A digest cannot be turned back into the secret: sessions end; the apps' secrets must be loaded again.
    op.execute("DELETE FROM sessions")
