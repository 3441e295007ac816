"""The Bulk worker: runs queued batches a chunk at a time, each chunk in one transaction with its claim.

A chunk's claim (moving the batch's cursor), the records it writes and its per-row results commit together, so
a server killed mid-job resumes after the last committed chunk on restart and never applies a row twice; two
processes on one database never take the same chunk (the claim is a conditional update).
"""
from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from sfmock.core import bulk, clock
from sfmock.core.errors import SalesforceError
from sfmock.core.records import RecordService
from sfmock.core.schema import registry
from sfmock.persistence import bulk_jobs as jobs
from sfmock.persistence import journal as journal_rows
from sfmock.persistence.bulk_store import BulkStore
from sfmock.persistence.db import Database
from sfmock.persistence.orgs import existing_org, open_org
from sfmock.persistence.table_statistics import TableStatistics
from sfmock.soql.engine import query_more, run_query
from sfmock.soql.parser import parse
from sfmock.soql.translate import Shape, build_plan

log = logging.getLogger("sfmock.bulk")
# Test hook: the process dies (as if killed) inside the transaction of this chunk number, before its commit.
# Not an SFMOCK_ setting: the test launcher (sfmock.pytest_plugin.start_server) keeps those from its servers.
_CRASH_AT = int(os.environ.get("SFMOCKTEST_BULK_CRASH_AT_CHUNK", "0") or 0)
_POLL_SECONDS = 0.5
# The longest a chunk waits for requests in flight: a steady stream of calls slows a load, never stops it.
_GIVE_WAY_SECONDS = 0.2
# A chunk applies its rows this many at a time and, between two slices, ends early (committing what it did) as
# soon as a request is being answered, so that a call waits behind at most one slice (a row costs about a
# millisecond on SQLite) rather than a whole chunk; with no call arriving a chunk runs to its full size.
SLICE = 10


class _Rows:
    """The parsed rows of the last few batches: a batch is read from its JSON once, not once per chunk."""

    def __init__(self, size: int = 4) -> None:
        self._cache: OrderedDict[str, Any] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, sql: Session, batch_id: str) -> Any:
        with self._lock:
            if batch_id in self._cache:
                self._cache.move_to_end(batch_id)
                return self._cache[batch_id]
        rows = jobs.batch_rows(sql, batch_id)
        with self._lock:
            self._cache[batch_id] = rows
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return rows


_rows = _Rows()
_chunks_run = 0


def run_once(db: Database, chunk: int = bulk.CHUNK, stop: Callable[[], bool] | None = None) -> bool:
    """Runs one chunk (at most `chunk` rows) of the batch whose turn it is; False when there is nothing to do.
    `stop`, asked between slices of the chunk, ends it early."""
    global _chunks_run
    # Looked for in a read first: an idle worker's poll never takes the write lock from the calls.
    with db.read() as sql:
        if jobs.next_batch(sql) is None:
            return False
    with db.session() as sql:
        batch = jobs.next_batch(sql)
        if batch is None:
            return False
        job = jobs.get_job_by_id(sql, batch["job_id"])
        if job["operation"] in bulk.QUERY:
            if not jobs.claim(sql, batch["id"], batch["done"], batch["done"]):
                return True
            _run_query(sql, job, batch)
        else:
            upto = min(batch["done"] + max(1, chunk), batch["total"])
            if not jobs.claim(sql, batch["id"], batch["done"], upto):
                return True
            written = _run_ingest(sql, job, batch, upto, stop)
        _settle_job(sql, job)
        _chunks_run += 1
        if _CRASH_AT and _chunks_run >= _CRASH_AT:
            log.warning("sfmock: SFMOCKTEST_BULK_CRASH_AT_CHUNK reached; exiting before the commit")
            os._exit(17)
    if job["operation"] not in bulk.QUERY:
        db.cache("table_statistics", TableStatistics).wrote(db, job["object"], written)
    return True


def drain(db: Database) -> None:
    """Runs every runnable batch to its end (tests, and a worker catching up)."""
    while run_once(db):
        pass


def _run_ingest(sql: Session, job: dict[str, Any], batch: dict[str, Any], upto: int,
                stop: Callable[[], bool] | None) -> int:
    """Applies the chunk's rows; the number of rows it wrote successfully."""
    rows = _rows.get(sql, batch["id"])[batch["done"]:upto]
    store = BulkStore(existing_org(sql, job["org_id"]), upto - batch["done"],
                      buffer_inserts=job["operation"] == "insert" and job["object"] != "User")
    service = RecordService(store, user_id=job["user_id"], api="bulk")
    if job["state"] == "UploadComplete":
        jobs.update_job(sql, job["id"], state="InProgress")
    results: list[Any] = []
    for start in range(0, len(rows), SLICE):
        results += bulk.apply_chunk(
            service, operation=job["operation"], sobject=job["object"], rows=rows[start:start + SLICE],
            external_id_field=job["external_id_field"], rule_id=job["assignment_rule_id"])
        if stop is not None and start + SLICE < len(rows) and stop():
            break
    store.flush()
    end = batch["done"] + len(results)
    if end < upto:
        # Ended early: the claim shrinks to the rows applied (no other worker can have seen it uncommitted).
        jobs.claim(sql, batch["id"], upto, end)
    jobs.write_results(sql, batch["id"], batch["done"], [_result(r) for r in results])
    failed = sum(1 for r in results if not r.success)
    jobs.finish_chunk(sql, batch["id"], failed, complete=end >= batch["total"])
    entry = journal_rows.JournalEntry(
        door="bulk" if job["kind"] == "V1" else "bulk2",
        operation=job["operation"],
        sobject=job["object"],
        assignment=job["assignment_rule_id"] or "none",
    )
    entry.note_results(results)
    journal_rows.write(sql, job["org_id"], job["user_id"], entry)
    return len(results) - failed


def _result(result: Any) -> dict[str, Any]:
    errors = [[e.code, e.message, list(e.fields)] for e in result.errors]
    return {"record_id": result.id, "success": result.success, "created": bool(result.created),
            "data": errors or None}


def columns(shape: Shape, prefix: str = "") -> list[str]:
    """The CSV header of a query: fields in SELECT order, a relationship's as `Owner.Name`."""
    out: list[str] = []
    for name, entry in shape.entries:
        out.extend(columns(entry, f"{prefix}{name}.") if isinstance(entry, Shape) else [f"{prefix}{name}"])
    return out


def _flat(record: Any) -> list[Any]:
    out: list[Any] = []
    for _name, value in record.fields:
        if hasattr(value, "fields"):
            out.extend(_flat(value))
        else:
            out.append(_text(value))
    return out


def _text(value: Any) -> Any:
    # Bulk query CSV writes dateTimes as 2021-08-31T01:31:13.000Z (Bulk API "Valid Date Format in Records").
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    return value.isoformat() if hasattr(value, "isoformat") else value


def _run_query(sql: Session, job: dict[str, Any], batch: dict[str, Any]) -> None:
    soql = _rows.get(sql, batch["id"])["soql"]
    include_deleted = job["operation"] == "queryAll"
    if job["state"] == "UploadComplete":
        jobs.update_job(sql, job["id"], state="InProgress")
    # Against the org's own schema (its custom fields), in the time zone of the user who created the job, as
    # the SOQL doors query for the session's user: the job runs as its creator (createdById) [UNCONFIRMED:
    # the Bulk API guide does not say which zone a query job's date literals use; this is the SOQL
    # reference's rule, "a literal's range follows the user sending the query", applied to the creator].
    org = open_org(sql, job["org_id"])
    schema = org.schema if org else registry
    time_zone = org.org.zone_of(org.get("User", job["user_id"])) if org else "UTC"
    try:
        now = clock.now()  # the doors' one clock (sfmock.core.clock)
        plan = build_plan(parse(soql), job["org_id"], include_deleted=include_deleted, now=now, schema=schema)
        page = run_query(sql, job["org_id"], soql, include_deleted=include_deleted, schema=schema,
                         time_zone=time_zone, now=now)
        records = list(page.records)
        while not page.done and page.locator:
            page = query_more(sql, job["org_id"], page.locator, schema=schema, time_zone=time_zone)
            records.extend(page.records)
    except SalesforceError as error:
        jobs.fail_batch(sql, batch["id"], f"{error.code} : {error.message}")
        return
    header = columns(plan.shape) if plan.shape is not None else []
    rows = [{"record_id": r.id, "success": True, "data": _flat(r)} for r in records]
    jobs.write_results(sql, batch["id"], 0, [{"record_id": None, "success": True, "data": header}, *rows])
    jobs.finish_chunk(sql, batch["id"], 0, complete=True, total=len(records))


def _settle_job(sql: Session, job: dict[str, Any]) -> None:
    """A Bulk 2.0 job is JobComplete once none of its batches is left to run."""
    if job["kind"] != "V1" and jobs.open_batches(sql, job["id"]) == 0:
        jobs.update_job(sql, job["id"], state="JobComplete")


def _fail_next(db: Database, error: Exception) -> bool:
    """A chunk that broke unexpectedly fails its batch (and a Bulk 2.0 job), rather than being retried
    forever."""
    try:
        with db.session() as sql:
            batch = jobs.next_batch(sql)
            if batch is None:
                return False
            message = f"InternalServerError : {type(error).__name__}"
            jobs.fail_batch(sql, batch["id"], message)
            job = jobs.get_job_by_id(sql, batch["job_id"])
            if job["kind"] != "V1":
                jobs.update_job(sql, job["id"], state="Failed", error_message=message)
            return True
    except Exception:  # noqa: BLE001 - the database itself is failing: wait for the next poll
        log.exception("sfmock: bulk worker could not record a failed chunk")
        return False


class Worker:
    """One background thread per process; `wake()` after queueing work, else it polls (other processes' jobs,
    and jobs left over from before a restart). Calls being answered come first: before each chunk the worker
    waits (a little, never for long) until this process has no request in flight, so that a big load does not
    hold the database's write lock in front of them."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._event = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._in_flight = 0
        self._idle = threading.Condition()

    def request_started(self) -> None:
        with self._idle:
            self._in_flight += 1

    def request_finished(self) -> None:
        with self._idle:
            self._in_flight -= 1
            if self._in_flight <= 0:
                self._idle.notify_all()

    def _give_way(self) -> None:
        with self._idle:
            self._idle.wait_for(lambda: self._in_flight <= 0, timeout=_GIVE_WAY_SECONDS)

    def _answering(self) -> bool:
        return self._in_flight > 0

    def start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="sfmock-bulk", daemon=True)
                self._thread.start()

    def wake(self) -> None:
        """New work was queued: a started worker looks now rather than at its next poll."""
        self._event.set()

    def _loop(self) -> None:
        while True:
            try:
                self._give_way()
                busy = run_once(self.db, bulk.CHUNK, self._answering)
            except Exception as error:  # noqa: BLE001 - the worker outlives one bad chunk; it is logged
                log.exception("sfmock: bulk worker chunk failed")
                busy = _fail_next(self.db, error)
            if not busy:
                self._event.wait(_POLL_SECONDS)
                self._event.clear()
