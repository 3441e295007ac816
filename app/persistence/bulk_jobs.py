"""Bulk jobs and batches in the database: create, read, change state, count, and the results per row."""
from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sfmock.persistence.bulk_tables import bulk_batch_data, bulk_batches, bulk_jobs, bulk_results
from sfmock.persistence.db import affected

Row = dict[str, Any]


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def create_job(sql: Session, job_id: str, **values: Any) -> Row:
    stamp = now()
    row: dict[str, Any] = {"id": job_id, "created_at": stamp, "modstamp": stamp} | values
    sql.execute(sa.insert(bulk_jobs).values(**row))
    found = get_job(sql, row["org_id"], job_id)
    assert found is not None  # inserted just above, in this transaction
    return found


def get_job(sql: Session, org_id: str, job_id: str, *, lock: bool = False) -> Row | None:
    stmt = sa.select(bulk_jobs).where(bulk_jobs.c.org_id == org_id, bulk_jobs.c.id == job_id)
    if lock and sql.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    found = sql.execute(stmt).mappings().first()
    return dict(found) if found else None


def list_jobs(sql: Session, org_id: str, kinds: Sequence[str]) -> list[Row]:
    stmt = (sa.select(bulk_jobs).where(bulk_jobs.c.org_id == org_id, bulk_jobs.c.kind.in_(kinds))
            .order_by(bulk_jobs.c.created_at, bulk_jobs.c.id))
    return [dict(r) for r in sql.execute(stmt).mappings()]


def update_job(sql: Session, job_id: str, **values: Any) -> None:
    sql.execute(sa.update(bulk_jobs).where(bulk_jobs.c.id == job_id).values(modstamp=now(), **values))


def delete_job(sql: Session, job_id: str) -> None:
    batch_ids = sa.select(bulk_batches.c.id).where(bulk_batches.c.job_id == job_id)
    sql.execute(sa.delete(bulk_results).where(bulk_results.c.batch_id.in_(batch_ids)))
    sql.execute(sa.delete(bulk_batch_data).where(bulk_batch_data.c.batch_id.in_(batch_ids)))
    sql.execute(sa.delete(bulk_batches).where(bulk_batches.c.job_id == job_id))
    sql.execute(sa.delete(bulk_jobs).where(bulk_jobs.c.id == job_id))


def add_batch(sql: Session, batch_id: str, job_id: str, *, rows: Any, request: str, state: str = "Queued",
              state_message: str | None = None) -> Row:
    seq = sql.execute(sa.select(sa.func.count()).where(bulk_batches.c.job_id == job_id)).scalar_one()
    stamp = now()
    total = len(rows) if isinstance(rows, list) else 0
    sql.execute(sa.insert(bulk_batches).values(
        id=batch_id, job_id=job_id, seq=seq, state=state, state_message=state_message, total=total, done=0,
        failed=0, created_at=stamp, modstamp=stamp))
    sql.execute(sa.insert(bulk_batch_data).values(batch_id=batch_id, rows=json.dumps(rows), request=request))
    found = get_batch(sql, job_id, batch_id)
    assert found is not None  # inserted just above, in this transaction
    return found


_BATCH_INFO = list(bulk_batches.c)


def get_batch(sql: Session, job_id: str, batch_id: str) -> Row | None:
    stmt = sa.select(*_BATCH_INFO).where(bulk_batches.c.job_id == job_id, bulk_batches.c.id == batch_id)
    found = sql.execute(stmt).mappings().first()
    return dict(found) if found else None


def batch_request(sql: Session, batch_id: str) -> str:
    return sql.execute(
        sa.select(bulk_batch_data.c.request).where(bulk_batch_data.c.batch_id == batch_id)
    ).scalar_one()


def batch_rows(sql: Session, batch_id: str) -> Any:
    found = sql.execute(sa.select(bulk_batch_data.c.rows).where(bulk_batch_data.c.batch_id == batch_id))
    return json.loads(found.scalar_one())


def list_batches(sql: Session, job_id: str) -> list[Row]:
    stmt = sa.select(*_BATCH_INFO).where(bulk_batches.c.job_id == job_id).order_by(bulk_batches.c.seq)
    return [dict(r) for r in sql.execute(stmt).mappings()]


def update_batches(sql: Session, job_id: str, states: Sequence[str], **values: Any) -> None:
    sql.execute(sa.update(bulk_batches).where(bulk_batches.c.job_id == job_id,
                                              bulk_batches.c.state.in_(states))
                .values(modstamp=now(), **values))


def counts(sql: Session, job_id: str) -> Row:
    """numberBatches<State> for each state, numberRecordsProcessed and numberRecordsFailed."""
    out: Row = {"batches": {}, "processed": 0, "failed": 0, "total": 0}
    stmt = (sa.select(bulk_batches.c.state, sa.func.count(), sa.func.sum(bulk_batches.c.done),
                      sa.func.sum(bulk_batches.c.failed), sa.func.sum(bulk_batches.c.total))
            .where(bulk_batches.c.job_id == job_id).group_by(bulk_batches.c.state))
    for state, count, done, failed, total in sql.execute(stmt):
        out["batches"][state] = count
        out["processed"] += int(done or 0)
        out["failed"] += int(failed or 0)
        out["total"] += int(total or 0)
    return out


def results(sql: Session, batch_ids: Sequence[str], *, success: bool | None = None,
            offset: int = 0, limit: int | None = None) -> list[Row]:
    """Result rows in input order (batch by batch, row by row)."""
    order = sa.case({b: i for i, b in enumerate(batch_ids)},
                    value=bulk_results.c.batch_id) if batch_ids else None
    stmt = sa.select(bulk_results).where(bulk_results.c.batch_id.in_(batch_ids))
    if success is not None:
        stmt = stmt.where(bulk_results.c.success.is_(success))
    stmt = stmt.order_by(order, bulk_results.c.row_no).offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    out = []
    for r in sql.execute(stmt).mappings():
        row = dict(r)
        row["data"] = json.loads(row["data"]) if row["data"] else None
        out.append(row)
    return out


def write_results(sql: Session, batch_id: str, first: int, rows: Sequence[Row]) -> None:
    if rows:
        sql.execute(sa.insert(bulk_results), [
            {"batch_id": batch_id, "row_no": first + i, "record_id": r.get("record_id"),
             "success": r["success"],
             "created": r.get("created", False), "data": json.dumps(r["data"]) if r.get("data") is not None
             else None} for i, r in enumerate(rows)])


# --- the worker's queue ----------------------------------------------------------------------------------
# Batches run when queued or in progress and their job lets them: Bulk 1.0 batches as soon as they are added
# (unless the job was aborted), Bulk 2.0 jobs once the upload is complete.
_RUNNABLE = sa.or_(
    sa.and_(bulk_jobs.c.kind == "V1", bulk_jobs.c.state.in_(("Open", "Closed"))),
    sa.and_(bulk_jobs.c.kind != "V1", bulk_jobs.c.state.in_(("UploadComplete", "InProgress"))),
)


# Bulk API 1.0 concurrencyMode (Bulk API Developer Guide, "JobInfo"): in Parallel mode a job's batches are
# processed in parallel, in no set order; in Serial mode one at a time, in the order they were added. A
# Parallel job here has its first few open batches take turns chunk by chunk (so they are InProgress together
# and their rows interleave); a Serial job runs its oldest open batch to its end before the next one starts.
# The width stays below the worker's cache of parsed batches (sfmock.bulk.worker._Rows): turns re-read
# nothing.
PARALLEL_WIDTH = 3


def next_batch(sql: Session) -> Row | None:
    """The batch whose chunk runs next: the job of the oldest runnable batch, and within it the batch its
    concurrency mode picks (Serial: that oldest one; Parallel: the least advanced of its first open ones)."""
    # One statement: the first runnable batches in order; the lead's job's among them take the turns (another
    # job's batches in between leave fewer of them, never none).
    stmt = (sa.select(bulk_batches.c.id, bulk_batches.c.job_id, bulk_batches.c.done, bulk_batches.c.total,
                      bulk_batches.c.state, bulk_jobs.c.concurrency_mode)
            .join(bulk_jobs, bulk_jobs.c.id == bulk_batches.c.job_id)
            .where(bulk_batches.c.state.in_(("Queued", "InProgress")), _RUNNABLE)
            .order_by(bulk_batches.c.created_at, bulk_batches.c.seq).limit(3 * PARALLEL_WIDTH))
    found = [dict(r) for r in sql.execute(stmt).mappings()]
    if not found:
        return None
    lead = found[0]
    if lead["concurrency_mode"] == "Serial":
        return lead
    turns = [b for b in found if b["job_id"] == lead["job_id"]][:PARALLEL_WIDTH]
    return min(turns, key=lambda b: b["done"])


def claim(sql: Session, batch_id: str, done: int, upto: int) -> bool:
    """Moves the batch's cursor from `done` to `upto` unless another worker moved it first. The caller writes
    that chunk's records and results in this same transaction, so the claim and the work commit together."""
    moved = affected(sql, sa.update(bulk_batches).where(bulk_batches.c.id == batch_id,
                                                        bulk_batches.c.done == done)
                     .values(done=upto, state="InProgress", modstamp=now()))
    return moved == 1


def finish_chunk(sql: Session, batch_id: str, failed: int, complete: bool, total: int | None = None) -> None:
    values: Row = {"failed": bulk_batches.c.failed + failed, "modstamp": now()}
    if complete:
        values["state"] = "Completed"
    if total is not None:
        values["total"] = total
        values["done"] = total
    sql.execute(sa.update(bulk_batches).where(bulk_batches.c.id == batch_id).values(**values))


def fail_batch(sql: Session, batch_id: str, message: str) -> None:
    sql.execute(sa.update(bulk_batches).where(bulk_batches.c.id == batch_id)
                .values(state="Failed", state_message=message, modstamp=now()))


def open_batches(sql: Session, job_id: str) -> int:
    return sql.execute(sa.select(sa.func.count()).where(
        bulk_batches.c.job_id == job_id, bulk_batches.c.state.in_(("Queued", "InProgress")))).scalar_one()


def get_job_by_id(sql: Session, job_id: str) -> Row:
    return dict(sql.execute(sa.select(bulk_jobs).where(bulk_jobs.c.id == job_id)).mappings().one())
