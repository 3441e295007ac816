"""Rows a multi-record write inserts, held until the write ends and then written one executemany per table and
column set (SQLAlchemy runs a statement per row otherwise: most of a 200-record create's time), and the
records' savepoints opened only when something runs inside them.

Only the record service's own write loop batches (`SqlStore.batched_inserts`, around RecordService._write):
every check a create makes runs before its insert, which is its last statement, so a held row is never needed
by the record that made it. Anything else that reaches the database through the store (a read, an update, a
counter, a configuration object's insert) first writes the held rows, in order, each inside the savepoints
open when it was held (issued then). A record whose savepoint rolls back drops the rows it still holds; the
database undoes the ones already written. A record that ran no statement needs no SAVEPOINT/RELEASE at all."""
from __future__ import annotations

import itertools
from itertools import groupby
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

_names = itertools.count(1)


class Savepoint:
    def __init__(self, mark: int) -> None:
        self.mark = mark  # held rows before this index were held before the savepoint opened
        self.name: str | None = None  # set once SAVEPOINT has been issued


class InsertBatch:
    def __init__(self) -> None:
        self._rows: list[tuple[sa.Table, frozenset[str], dict[str, Any]]] = []
        self._open: list[Savepoint] = []

    def add(self, table: sa.Table, params: dict[str, Any]) -> None:
        self._rows.append((table, frozenset(params), params))

    def savepoint(self) -> Savepoint:
        point = Savepoint(len(self._rows))
        self._open.append(point)
        return point

    def close(self, session: Session, point: Savepoint, *, failed: bool) -> None:
        """Leaves the innermost savepoint: released, or rolled back with the rows it still holds."""
        self._open.remove(point)
        if failed:
            del self._rows[point.mark:]
        if point.name is not None:
            connection = session.connection()
            if failed:
                connection.exec_driver_sql(f"ROLLBACK TO SAVEPOINT {point.name}")
            connection.exec_driver_sql(f"RELEASE SAVEPOINT {point.name}")

    def write(self, session: Session) -> None:
        """The held rows in the order they came, each after the SAVEPOINTs that were open when it was held."""
        start = 0
        for point in self._open:
            if point.name is None:
                self._insert(session, self._rows[start:point.mark])
                start = point.mark
                point.name = f"sfmock_b{next(_names)}"
                session.connection().exec_driver_sql(f"SAVEPOINT {point.name}")
        self._insert(session, self._rows[start:])
        self._rows = []
        for point in self._open:
            point.mark = 0  # what they held is written inside them now: the database undoes it

    @staticmethod
    def _insert(session: Session, rows: list[tuple[sa.Table, frozenset[str], dict[str, Any]]]) -> None:
        for (table, _columns), run in groupby(rows, key=lambda r: (r[0], r[1])):
            many = [params for _t, _c, params in run]
            # One row as a plain execute: SQLAlchemy's executemany path costs more for a single row.
            session.execute(table.insert(), many[0] if len(many) == 1 else many)
