"""lead-conversion mail kind: outbox rows written as `lead_convert` take the one name, `lead_conversion`

Revision ID: 0012_lead_conversion_mail
Revises: 0012_journal_assignments
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_lead_conversion_mail"
down_revision = "0012_journal_assignments"
branch_labels = None
depends_on = None

_TABLE = "outbox"


def _rename(old: str, new: str) -> None:
    op.execute(sa.text(f"UPDATE {_TABLE} SET reason = :new WHERE reason = :old").bindparams(old=old, new=new))


def upgrade() -> None:
    _rename("lead_convert", "lead_conversion")


def downgrade() -> None:
    _rename("lead_conversion", "lead_convert")
