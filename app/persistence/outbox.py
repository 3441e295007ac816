"""Reading and clearing the outbox (the mail log); rows are written by SqlStore.add_mail."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sfmock.persistence.db import affected
from sfmock.persistence.tables import outbox


def _row(mapping: Any) -> dict[str, Any]:
    row = dict(mapping)
    for name, value in row.items():
        if isinstance(value, datetime):
            row[name] = value.isoformat(timespec="milliseconds") + "Z"
    return row


def list_mail(session: Session, *, org_id: str | None = None, to: str | None = None,
              record_id: str | None = None,
              template: str | None = None, since: datetime | None = None) -> list[dict[str, Any]]:
    stmt = sa.select(outbox).order_by(outbox.c.id)
    if org_id:
        stmt = stmt.where(outbox.c.org_id == org_id)
    if to:
        stmt = stmt.where(sa.func.lower(outbox.c.recipient) == to.lower())
    if record_id:
        stmt = stmt.where(outbox.c.record_id == record_id)
    if template:
        stmt = stmt.where(outbox.c.template_name == template)
    if since:
        stmt = stmt.where(outbox.c.created_at >= since)
    return [_row(m) for m in session.execute(stmt).mappings()]


def clear_mail(session: Session, *, org_id: str | None = None) -> int:
    stmt = sa.delete(outbox)
    if org_id:
        stmt = stmt.where(outbox.c.org_id == org_id)
    return affected(session, stmt)
