"""Rows written a moment later: what a read call has to note (its request-journal entry) without taking the
write lock itself.

A read call answers from a snapshot and never waits for a writer (issue 9); its journal entry is queued here
and written by whichever comes first: the next write session of this process (it writes the queue before
its own work, so the journal keeps the calls' order and every reader of the journal, which reads in a write
session, sees them), or this process's flusher, which writes what is queued every FLUSH_SECONDS without
waiting for the lock (a locked database keeps the rows queued for the next try). The process also writes
them at exit. A kill -9 loses at most the last FLUSH_SECONDS of read calls' entries; records, mail and
write calls' entries are never queued here."""
from __future__ import annotations

import atexit
import logging
import threading
import weakref
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

log = logging.getLogger("sfmock")

FLUSH_SECONDS = 0.1
_alive: weakref.WeakSet[LaterWrites] = weakref.WeakSet()


class LaterWrites:
    """The queue of (statement, parameters) of one database; `open_writer(wait)` opens a write session that
    flushes it (Database.session)."""

    def __init__(self, open_writer: Callable[[float | None], AbstractContextManager[Session]]) -> None:
        self._open_writer = open_writer
        self._rows: list[tuple[Any, dict[str, Any]]] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._flusher: threading.Thread | None = None
        self._stopped = False

    def add(self, statement: Any, parameters: dict[str, Any]) -> None:
        with self._lock:
            self._rows.append((statement, parameters))
            if self._flusher is None:
                self._flusher = threading.Thread(target=_flush_loop, args=(weakref.ref(self),),
                                                 name="sfmock-later-writes", daemon=True)
                self._flusher.start()
                _alive.add(self)

    def __bool__(self) -> bool:
        return bool(self._rows)

    def write_into(self, session: Session, guard: Callable[[], AbstractContextManager[Any]]) -> None:
        """Writes what is queued in `session` (a write session, just begun). A row that fails (its org
        deleted meanwhile) is logged and left out: a failed statement undoes only itself in SQLite, and on
        PostgreSQL each row runs in a savepoint (Database.session); a session that rolls back later gives
        its rows back (restore)."""
        with self._lock:
            rows, self._rows = self._rows, []
        session.info["later_rows"] = rows
        for statement, parameters in rows:
            try:
                with guard():
                    session.execute(statement, parameters)
            except SQLAlchemyError:
                log.exception("sfmock: could not write a queued row into %s",
                              getattr(statement, "table", "?"))

    def settle(self, session: Session, *, committed: bool) -> None:
        """After the write session: the rows a rolled-back one had taken are queued again, ahead of newer
        ones."""
        rows = session.info.pop("later_rows", None)
        if rows and not committed:
            with self._lock:
                self._rows[:0] = rows

    def flush(self, wait: float | None = 0.0) -> None:
        """Writes the queue now in a write session of its own (waiting at most `wait` seconds for the lock;
        None: the database's lock wait). A locked database keeps the rows queued."""
        from sfmock.persistence.db import WriteLocked

        if not self._rows:
            return
        try:
            with self._open_writer(wait):
                pass  # the write session writes the queue when it begins
        except WriteLocked:
            pass

    def stop(self) -> None:
        """The flusher ends (the database is disposed); what is queued stays for flush()."""
        self._stopped = True
        self._wake.set()


def _flush_loop(queue: weakref.ref[LaterWrites]) -> None:
    """Every FLUSH_SECONDS until the queue is stopped or gone (a test's throwaway database): only a weak
    reference is held while waiting, so a database no one uses any more is freed."""
    while True:
        found = queue()
        if found is None or found._stopped:
            return
        wake = found._wake
        del found
        wake.wait(FLUSH_SECONDS)
        found = queue()
        if found is None or found._stopped:
            return
        try:
            found.flush()
        except Exception:  # noqa: BLE001 - the flusher must outlive a database error
            log.exception("sfmock: could not write queued rows")
        del found


@atexit.register
def _flush_all() -> None:
    for queue in list(_alive):
        try:
            queue.flush(wait=None)
        except Exception:  # noqa: BLE001 - exit goes on
            log.exception("sfmock: could not write queued rows at exit")
