"""An org's own schema, stored as its spec (org_schemas) and cached with the org.

The cache is the one place an org's schema is kept between calls: keyed by the database, the org id and the
org's creation instant (an org id that comes back after a reset is another org), and dropped when an org is
installed or deleted.
"""
from __future__ import annotations

import json
import threading
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sfmock.core.schema import SchemaRegistry
from sfmock.core.schema.org_schema import build
from sfmock.persistence.org_cache import bump_version
from sfmock.persistence.tables import org_schemas

_Key = tuple[str, str, datetime | None]
_cache: dict[_Key, SchemaRegistry] = {}
_lock = threading.Lock()


def _key(session: Session, org_id: str, created_at: datetime | None) -> _Key:
    bind = session.get_bind()
    return (str(bind.engine.url), org_id, created_at)


def save_spec(session: Session, org_id: str, spec: dict[str, Any]) -> None:
    session.execute(sa.delete(org_schemas).where(org_schemas.c.org_id == org_id))
    session.execute(sa.insert(org_schemas).values(org_id=org_id, definition=json.dumps(spec, sort_keys=True)))
    forget(org_id)
    bump_version(session, org_id)  # every process reloads the org's configuration, schema included


def load_spec(session: Session, org_id: str) -> dict[str, Any] | None:
    """The org's stored spec (None: the standard schema), as a Metadata API deploy extends it."""
    text = session.execute(
        sa.select(org_schemas.c.definition).where(org_schemas.c.org_id == org_id)).scalar_one_or_none()
    return json.loads(text) if text else None


def load(session: Session, org_id: str, created_at: datetime | None) -> SchemaRegistry:
    """The org's schema: the standard objects plus what its metadata added."""
    key = _key(session, org_id, created_at)
    found = _cache.get(key)
    if found is not None:
        return found
    text = session.execute(
        sa.select(org_schemas.c.definition).where(org_schemas.c.org_id == org_id)).scalar_one_or_none()
    schema = build(json.loads(text) if text else None, org_id=org_id)
    with _lock:
        _cache[key] = schema
    return schema


def forget(org_id: str | None = None) -> None:
    """Drops the cached schema of one org (every org with None)."""
    with _lock:
        for key in [k for k in _cache if org_id is None or k[1] == org_id]:
            del _cache[key]
