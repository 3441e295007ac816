"""Atomic counters: an upsert that returns the new value, safe across processes on SQLite and PostgreSQL."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from sfmock.persistence.tables import global_sequences, sequences


def _insert(session: Session, table: sa.Table):  # noqa: ANN202 - dialect-specific Insert
    return (postgresql if session.get_bind().dialect.name == "postgresql" else sqlite).insert(table)


def bump(session: Session, org_id: str, name: str, count: int = 1) -> int:
    """Adds `count` to the org's counter `name` and returns its new value (first values: 1..count)."""
    stmt = (
        _insert(session, sequences)
        .values(org_id=org_id, name=name, value=count)
        .on_conflict_do_update(index_elements=["org_id", "name"], set_={"value": sequences.c.value + count})
        .returning(sequences.c.value)
    )
    return int(session.execute(stmt).scalar_one())


def bump_global(session: Session, name: str, count: int = 1) -> int:
    stmt = (
        _insert(session, global_sequences)
        .values(name=name, value=count)
        .on_conflict_do_update(index_elements=["name"], set_={"value": global_sequences.c.value + count})
        .returning(global_sequences.c.value)
    )
    return int(session.execute(stmt).scalar_one())
