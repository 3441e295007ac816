"""The store a Bulk chunk writes through: the org's SqlStore, with the chunk's record ids reserved in one counter
bump and rows inserted through one cached statement, so a large load does not pay a counter upsert and a fresh
statement per row. Unused reserved ids are simply skipped (Salesforce never reuses an id either)."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app.core import ids
from app.persistence import sequences
from app.persistence.store import SqlStore
from app.persistence.tables import table_for
from app.persistence.values import row_to_db


class BulkStore:
    def __init__(self, store: SqlStore, reserve: int) -> None:
        self._store = store
        self._reserve = max(1, reserve)
        self._free: dict[str, list[str]] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def new_ids(self, prefix: str, count: int = 1) -> list[str]:
        free = self._free.setdefault(prefix, [])
        if len(free) < count:
            size = max(count, self._reserve)
            last = sequences.bump(self._store.session, self._store.org.org_id, f"id:{prefix}", size)
            free.extend(ids.make_id(prefix, self._store.org_number, n) for n in range(last - size + 1, last + 1))
        taken, self._free[prefix] = free[:count], free[count:]
        return taken

    def insert(self, sobject: str, row: dict[str, Any]) -> None:
        # Parameters bound at execution: the compiled INSERT is cached per column set, not rebuilt per row.
        self._store.session.execute(sa.insert(table_for(sobject)),
                                    {"org_id": self._store.org.org_id} | row_to_db(row))
