"""Each process's cache of what an org's calls read on every call and rarely change: its settings, users,
queues and their members, assignment rules (decoded), email templates and armed fault rules.

The key is the org's configuration version (orgs.config_version), which every configuration change bumps in
its own transaction (SqlStore writes to these objects, save_settings, clear_data); a call reads that one
number and reuses the cache while it matches, so several processes on one database stay correct. A call that
changes configuration itself reads the database directly for the rest of its transaction.

    cache = OrgCache.of(db)            # one per Database
    store = cache.open(sql, org_id)    # an SqlStore serving those objects from the cache, or None
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sfmock.core.org import OrgSettings
from sfmock.core.rules.model import AssignmentRule
from sfmock.persistence.blocks import Pool
from sfmock.persistence.tables import orgs

# The configuration objects: few rows per org, read by every write (owner checks, routing, notification).
CONFIG_SOBJECTS = frozenset({"User", "Group", "GroupMember", "QueueSobject", "AssignmentRule",
                             "EmailTemplate"})

Row = dict[str, Any]
# Read at the start of every call: built once (SQLAlchemy compiles it once and caches the compiled form; a new
# expression per call costs its construction and cache key, a few times the statement's own run on SQLite).
_VERSION = sa.select(orgs.c.config_version).where(orgs.c.id == sa.bindparam("org_id"))


@dataclass
class OrgConfig:
    version: int
    settings: OrgSettings
    number: int
    rows: dict[str, dict[str, Row]] = field(default_factory=dict)  # sObject -> Id -> row (deleted ones too)
    rules: dict[str, AssignmentRule] = field(default_factory=dict)  # by rule id
    # The org's own schema (custom fields, record types), loaded under the same version.
    schema: Any = None
    # The org's armed fault rules in id order (sfmock.persistence.faults bumps the version when they change).
    faults: list[Any] = field(default_factory=list)

    def get(self, sobject: str, record_id: str, include_deleted: bool) -> Row | None:
        row = self.rows.get(sobject, {}).get(record_id)
        return dict(row) if row and (include_deleted or not row.get("IsDeleted")) else None

    def find(self, sobject: str, where: Row, include_deleted: bool) -> list[Row]:
        rows = self.rows.get(sobject, {})
        return [dict(row) for _id, row in sorted(rows.items())
                if (include_deleted or not row.get("IsDeleted")) and all(row.get(k) == v for k,
                                                                         v in where.items())]


def bump_version(session: Session, org_id: str) -> None:
    """Marks the org's configuration as changed (every process reloads its cache on its next call)."""
    session.execute(sa.update(orgs).where(orgs.c.id == org_id).values(config_version=orgs.c.config_version
                                                                      + 1))


class OrgCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._configs: dict[str, OrgConfig] = {}
        # Record-id and request-count blocks of this process (sfmock.persistence.blocks).
        self.pool = Pool()

    @classmethod
    def of(cls, db: Any) -> OrgCache:
        return db.cache("orgs", cls)

    def open(self, session: Session, org_id: str) -> Any:
        """The org's SqlStore on `session`, its configuration from the cache; None for an unknown org."""
        from sfmock.persistence.store import SqlStore

        version = session.execute(_VERSION, {"org_id": org_id}).scalar()
        if version is None:
            return None
        config = self._configs.get(org_id)
        if config is None or config.version != version:
            config = self._load(session, org_id)
            if config.version == version:
                with self._lock:
                    self._configs[org_id] = config
        return SqlStore(session, config.settings, config.number, config.schema, config=config, pool=self.pool)

    def _load(self, session: Session, org_id: str) -> OrgConfig:
        from sfmock.persistence import faults, schemas
        from sfmock.persistence.orgs import org_settings
        from sfmock.persistence.store import SqlStore

        row = session.execute(sa.select(orgs).where(orgs.c.id == org_id)).mappings().one()
        config = OrgConfig(row["config_version"], org_settings(row), row["number"])
        config.schema = schemas.load(session, org_id, row["created_at"])
        plain = SqlStore(session, config.settings, config.number, config.schema)
        for sobject in CONFIG_SOBJECTS:
            config.rows[sobject] = {r["Id"]: r for r in plain.find(sobject, {}, include_deleted=True)}
        for rule_id in config.rows["AssignmentRule"]:
            # A deleted rule decodes to None: left out, so that config.rules.get gives None all the same.
            if (rule := plain.rule(rule_id)) is not None:
                config.rules[rule_id] = rule
        config.faults = faults.list_rules(session, org_id)
        return config
