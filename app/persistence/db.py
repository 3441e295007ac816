"""The database: engine set-up per dialect (SQLite WAL + foreign keys + bounded lock wait), read and write
sessions, and the caches that live as long as the engine (sfmock.persistence.org_cache, session_cache,
blocks).

Reads never wait for writers: a read session opens a plain (deferred) transaction, which under WAL reads a
snapshot while another connection writes; only write sessions take the write lock (SQLite BEGIN IMMEDIATE).
A write that cannot get its lock within the bounded wait raises WriteLocked, which the doors answer as
Salesforce's UNABLE_TO_LOCK_ROW; the transaction never started, so nothing is half-written."""
from __future__ import annotations

import itertools
import os
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from sfmock.core import no_wait
from sfmock.persistence.later_writes import LaterWrites

# Salesforce: "a given transaction can only wait a maximum of 10 seconds for a lock to be released, otherwise
# it will time out" (Knowledge Article 000229525, "Unable to lock row - Record currently unavailable errors").
DEFAULT_LOCK_WAIT = 10.0
SQLITE_POOL = 16


def _private_sqlite_files(path: Path) -> None:
    """The database file created 0600 before SQLite opens it (it holds password and secret digests, mail and
    records); SQLite gives its -wal and -shm files the database file's mode; any already there are
    narrowed."""
    # Only a file that is not there yet is opened here: closing a descriptor of a database this process
    # already has open would drop the POSIX locks SQLite holds on it (sqlite.org/howtocorrupt.html, 2.2).
    if not path.exists():
        try:
            os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            pass
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.exists() and file.stat().st_mode & 0o077:
            file.chmod(0o600)


class WriteLocked(Exception):
    """Another connection held the write lock for longer than the bounded wait."""


def is_lock_error(error: BaseException) -> bool:
    """SQLite's "database is locked" (busy timeout over) or PostgreSQL's lock_not_available (lock_timeout)."""
    orig = getattr(error, "orig", error)
    return "database is locked" in str(orig) or getattr(orig, "sqlstate", None) == "55P03"


def _sqlite_pragmas(wait_ms: int):  # noqa: ANN202 - an event listener
    def on_connect(dbapi_connection, _record) -> None:  # noqa: ANN001 - DB-API objects
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={wait_ms}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        # Let SQLAlchemy's "begin" event issue BEGIN (pysqlite's own transaction handling is off).
        dbapi_connection.isolation_level = None

    return on_connect


def _sqlite_begin(wait_ms: int):  # noqa: ANN202 - an event listener
    def on_begin(conn: sa.Connection) -> None:
        options = conn.get_execution_options()
        if options.get("sfmock_read"):
            conn.exec_driver_sql("BEGIN")  # deferred: a WAL snapshot, never waits for the writer
            return
        # BEGIN IMMEDIATE takes the write lock up front, so two processes never deadlock upgrading a read
        # lock.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return on_begin


def make_engine(url: str, lock_wait: float = DEFAULT_LOCK_WAIT) -> sa.Engine:
    wait_ms = int(lock_wait * 1000)
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        a_file = bool(path) and path != ":memory:" and not str(path).startswith("file:")
        if path and a_file:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            _private_sqlite_files(Path(path))
        # Connections are kept for as many calls as usually run at once: with SQLAlchemy's default pool of 5,
        # the sixth concurrent call opened a connection and closed it again on return (its PRAGMAs, a schema
        # read of every table on first use, an empty page cache): 8 concurrent queries cost 2.7 ms of CPU
        # each instead of 2.0 (`make bench`).
        pooled = {"pool_size": SQLITE_POOL, "max_overflow": 40} if a_file else {}
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": lock_wait},
                                  **pooled)
        event.listen(engine, "connect", _sqlite_pragmas(wait_ms))
        event.listen(engine, "begin", _sqlite_begin(wait_ms))
        return engine
    # PostgreSQL readers never wait (MVCC); a writer waits at most lock_timeout for a row lock.
    return sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20,
                            connect_args={"options": f"-c lock_timeout={wait_ms}"})


_savepoints = itertools.count(1)


@contextmanager
def savepoint(session: Session) -> Iterator[None]:
    """A savepoint in the session's transaction, as plain SQL: SQLAlchemy's begin_nested() compiles a
    SAVEPOINT and a RELEASE statement every time (its names are unique), twice per record of every write.
    The block's exception rolls back to it and propagates."""
    connection = session.connection()
    name = f"sfmock_{next(_savepoints)}"
    connection.exec_driver_sql(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        connection.exec_driver_sql(f"ROLLBACK TO SAVEPOINT {name}")
        connection.exec_driver_sql(f"RELEASE SAVEPOINT {name}")
        raise
    connection.exec_driver_sql(f"RELEASE SAVEPOINT {name}")


def written(session: Session, statement: sa.Executable) -> sa.CursorResult[Any]:
    """The result of an INSERT, UPDATE or DELETE. Session.execute is typed as returning Result; for DML it is
    a CursorResult, which alone carries rowcount and inserted_primary_key."""
    result = session.execute(statement)
    if not isinstance(result, sa.CursorResult):
        raise TypeError("written() is for INSERT, UPDATE and DELETE statements")
    return result


def affected(session: Session, statement: sa.Executable) -> int:
    """The rows an UPDATE or DELETE touched."""
    return written(session, statement).rowcount


def write_soon(session: Session, statement: Any) -> None:
    """Executes `statement` now in a write session; in a read session (Database.read), once the read ends."""
    deferred = session.info.get("deferred")
    if deferred is None:
        session.execute(statement)
    else:
        deferred.append(statement)


def _still_open(ref: weakref.ref[Database]) -> Database:
    found = ref()
    if found is None:
        raise WriteLocked("the database was disposed")
    return found


class Database:
    """One database by URL: SQLite (embedded default) or PostgreSQL."""

    def __init__(self, url: str, *, lock_wait: float = DEFAULT_LOCK_WAIT) -> None:
        self.url = url
        self.lock_wait = lock_wait
        self.engine = make_engine(url, lock_wait)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._reads = sessionmaker(self.engine.execution_options(sfmock_read=True), expire_on_commit=False)
        self._local_writer = threading.RLock() if self.is_sqlite else None
        # Read calls' journal entries, written by the next write session or a moment later
        # (sfmock.persistence.later_writes); through a weak reference, so that the queue's flusher thread
        # does not keep a database no one uses alive.
        this = weakref.ref(self)
        self.later = LaterWrites(lambda wait: _still_open(this).session(wait=wait))
        # Process-local state keyed by this database (two Database objects never share ids or caches).
        self.caches: dict[Any, Any] = {}  # by name, or a (name, variant) tuple

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def cache(self, name: str, make: Any) -> Any:
        """The process-local object `name` of this database, made by `make()` on first use."""
        found = self.caches.get(name)
        return found if found is not None else self.caches.setdefault(name, make())

    @contextmanager
    def session(self, *, wait: float | None = None) -> Iterator[Session]:
        """A write session: its transaction holds the write lock (taken up front, waiting at most `wait`
        seconds, default the database's lock wait), commits when the block ends normally and rolls back
        otherwise. WriteLocked when the lock is not obtained in time."""
        # SQLite has one writer: this process's writers queue on a lock of their own, handed over at once,
        # instead of polling SQLite's busy handler (which sleeps up to 100 ms between tries: the p99 of
        # concurrent creates). Other processes are still waited for by the busy timeout.
        # On the event loop (a no-wait run, sfmock.core.no_wait) nothing waits: a call that has committed
        # nothing yet runs again in the thread pool (WouldWait); a side session that asked for its own wait
        # (the request meter's, which lets the read through) and a call that has committed already get
        # WriteLocked at once, UNABLE_TO_LOCK_ROW, rather than freeze every other call.
        on_loop, side = no_wait.in_run(), wait is not None
        rerun = on_loop and not side and no_wait.refusing()
        if on_loop:
            wait = 0.0
        if self._local_writer is not None and not self._local_writer.acquire(
                timeout=self.lock_wait if wait is None else wait):
            if rerun:
                raise no_wait.WouldWait(until=self._writer_free)
            raise WriteLocked("another call of this process held the write lock")
        session: Session | None = None
        committed = False
        try:
            with self._writer(wait) as session, session.begin():
                session.connection()  # BEGIN now: the lock is taken before any work is done
                if self.later:
                    self.later.write_into(session, (lambda: savepoint(session)) if not self.is_sqlite
                                          else nullcontext)
                yield session
            committed = True
            if not side:  # a side session's commit (a reserved block) is harmless to repeat
                no_wait.committed()
        except sa.exc.OperationalError as error:
            if is_lock_error(error):
                if rerun:
                    raise no_wait.WouldWait from error
                raise WriteLocked(str(error.orig)) from error
            raise
        finally:
            if session is not None:
                self.later.settle(session, committed=committed)
            if self._local_writer is not None:
                self._local_writer.release()

    def _writer_free(self) -> bool:
        """This process's write lock looks free (a probe: another call may still take it first)."""
        assert self._local_writer is not None
        if not self._local_writer.acquire(blocking=False):
            return False
        self._local_writer.release()
        return True

    def _writer(self, wait: float | None) -> Session:
        if wait is None or not self.is_sqlite:
            return self._sessions()
        # Another wait than the database's: an engine of its own (SQLite's busy timeout is per connection).
        engine = self.caches.get(("engine", wait))
        if engine is None:
            engine = self.caches.setdefault(("engine", wait), make_engine(self.url, wait))
        return Session(engine, expire_on_commit=False)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read session: a snapshot that never waits for writers. What it must write (write_soon) is
        written in a write session when the block ends normally."""
        deferred: list[Any] = []
        with self._reads() as session, session.begin():
            session.info["deferred"] = deferred
            yield session
        if deferred:
            with self.session() as writer:
                for statement in deferred:
                    writer.execute(statement)

    def dispose(self) -> None:
        self.later.stop()
        try:
            self.later.flush(wait=None)
        except sa.exc.SQLAlchemyError:
            pass  # a database already gone: nothing to keep the rows in
        self.engine.dispose()
        for key, engine in self.caches.items():
            if isinstance(key, tuple) and key[0] == "engine":
                engine.dispose()
