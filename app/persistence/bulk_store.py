"""The store a Bulk chunk writes through: the org's SqlStore, with the chunk's record ids reserved in one
counter bump and an insert-only chunk's rows written together at its end, so a large load does not pay a
counter upsert and a statement per row. Unused reserved ids are simply skipped (Salesforce never reuses an id
either)."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from sfmock.core import ids
from sfmock.persistence import sequences
from sfmock.persistence.store import SqlStore
from sfmock.persistence.tables import table_for
from sfmock.persistence.values import to_db


class BulkStore:
    def __init__(self, store: SqlStore, reserve: int, *, buffer_inserts: bool = False) -> None:
        self._store = store
        self._reserve = max(1, reserve)
        self._free: dict[str, list[str]] = {}
        self._buffer = buffer_inserts
        self._pending: dict[tuple[str, frozenset[str]], list[dict[str, Any]]] = {}
        self._columns: dict[str, dict[str, str]] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def new_ids(self, prefix: str, count: int = 1) -> list[str]:
        free = self._free.setdefault(prefix, [])
        if len(free) < count:
            size = max(count, self._reserve)
            last = sequences.bump(self._store.session, self._store.org.org_id, f"id:{prefix}", size)
            free.extend(ids.make_id(prefix, self._store.org_number,
                                    n) for n in range(last - size + 1, last + 1))
        taken, self._free[prefix] = free[:count], free[count:]
        return taken

    def insert(self, sobject: str, row: dict[str, Any]) -> None:
        if not self._buffer:
            self._store.insert(sobject, row)
            return
        # Custom fields go to their slot columns, as the SqlStore writes them; the rows of a load share their
        # names, so each name's column is looked up once.
        columns = self._columns.setdefault(sobject, {})
        for name in row.keys() - columns.keys():
            field = self._store.schema.require(sobject).field(name)
            columns[name] = field.column if field else name
        params = {"org_id": self._store.org.org_id} | {columns[k]: to_db(v) for k, v in row.items()}
        self._pending.setdefault((sobject, frozenset(params)), []).append(params)

    def flush(self) -> None:
        """Writes the buffered rows, one executemany per object and column set. Only an insert-only chunk
        buffers (not of Users, whose unique usernames the core checks against the table): its rows are never
        read back within the chunk, and a row is buffered only once it has passed every check (the insert is
        the last step of a create), so the per-row savepoints lose nothing."""
        for (sobject, _columns), rows in self._pending.items():
            self._store.session.execute(sa.insert(table_for(sobject)), rows)
        self._pending.clear()
