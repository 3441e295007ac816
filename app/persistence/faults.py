"""Fault rules in the database (shared by every server process): arm, list, clear, and take one for a call."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sfmock.core.faults import FaultRule
from sfmock.persistence.db import affected, written
from sfmock.persistence.tables import faults, sessions

_FIELDS = ("id", "kind", "door", "operation", "sobject", "remaining", "probability", "delay_ms", "hits")


def _rule(row: Any) -> FaultRule:
    return FaultRule(**{name: row[name] for name in _FIELDS})


def add(session: Session, org_id: str, fields: dict[str, Any]) -> FaultRule:
    key = written(session, sa.insert(faults).values(
        org_id=org_id, created_at=datetime.now(UTC).replace(tzinfo=None), hits=0,
        **fields)).inserted_primary_key
    assert key is not None  # a single-row INSERT has one
    new_id = key[0]
    return _rule(session.execute(sa.select(faults).where(faults.c.id == new_id)).mappings().one())


def list_rules(session: Session, org_id: str) -> list[FaultRule]:
    rows = session.execute(
        sa.select(faults).where(faults.c.org_id == org_id).order_by(faults.c.id)
    ).mappings()
    return [_rule(r) for r in rows]


def clear(session: Session, org_id: str, rule_id: int | None = None) -> int:
    stmt = sa.delete(faults).where(faults.c.org_id == org_id)
    if rule_id is not None:
        stmt = stmt.where(faults.c.id == rule_id)
    return affected(session, stmt)


def find(session: Session, org_id: str, door: str, operation: str, sobject: str | None) -> FaultRule | None:
    """The first armed rule that takes this call (read only: `consume` spends it)."""
    rows = session.execute(
        sa.select(faults).where(faults.c.org_id == org_id).order_by(faults.c.id)
    ).mappings()
    for row in rows:
        rule = _rule(row)
        if rule.matches(door, operation, sobject):
            return rule
    return None


def consume(session: Session, rule: FaultRule) -> bool:
    """Spends one call of the rule; False when another call took its last one first."""
    stmt = sa.update(faults).where(faults.c.id == rule.id).values(hits=faults.c.hits + 1)
    if rule.remaining is not None:
        stmt = stmt.where(faults.c.remaining > 0).values(remaining=faults.c.remaining - 1)
    return affected(session, stmt) > 0


def expire_sessions(session: Session, org_id: str) -> int:
    """Every session of the org ends now (an injected INVALID_SESSION_ID: clients must log in again)."""
    return affected(session, sa.update(sessions).where(sessions.c.org_id == org_id,
                                                     sessions.c.revoked.is_(False))
                           .values(revoked=True))
