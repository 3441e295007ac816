"""The org's API request count (Sforce-Limit-Info, LimitInfoHeader, REQUEST_LIMIT_EXCEEDED) without a locked
write per call: each process reserves request numbers in blocks (sfmock.persistence.blocks) and gives every
call its own number, so the count stays exact across processes up to the numbers a process reserved and has
not used yet. Near the limit blocks shrink to one number, so the call over the limit is refused exactly.

A read call reserves in a separate write transaction only when the lock is free at once (READ_WAIT); when a
writer holds it, the call is let through and counted with the next reservation (reads never wait for writers).
A write call reserves inside its own transaction (it holds the lock already)."""
from __future__ import annotations

import threading
from typing import Any

from sqlalchemy.orm import Session

from sfmock.persistence import sequences
from sfmock.persistence.blocks import REQUEST_BLOCK, Pool, Range
from sfmock.persistence.db import WriteLocked

NAME = "api_requests"
READ_WAIT = 0.0


class RequestMeter:
    def __init__(self, pool: Pool) -> None:
        self.pool = pool
        self._lock = threading.Lock()
        self._owed: dict[str, int] = {}  # per org: reads let through while the lock was held
        self._seen: dict[str, int] = {}  # per org: the highest number reserved

    def count(self, db: Any, sql: Session, org_id: str, version: int, limit: int, *, write: bool,
              pending: Any = None) -> int:
        """This call's number (1 = the org's first request since its count was reset)."""
        key = (org_id, NAME, str(version))
        numbers = self.pool.take(key)
        if numbers:
            return numbers[0]
        with self._lock:
            owed = self._owed.pop(org_id, 0)
        # Far from the limit a block; near it one number at a time, so the limit answer is exact.
        size = REQUEST_BLOCK if self._seen.get(org_id, 0) + REQUEST_BLOCK * 4 < limit else 1
        try:
            if write:
                last = sequences.bump(sql, org_id, NAME, size + owed)
            else:
                with db.session(wait=READ_WAIT) as counter:
                    last = sequences.bump(counter, org_id, NAME, size + owed)
        except WriteLocked:
            with self._lock:
                self._owed[org_id] = self._owed.get(org_id, 0) + owed + 1
            return self._seen.get(org_id, 0) + 1
        except BaseException:
            with self._lock:
                self._owed[org_id] = self._owed.get(org_id, 0) + owed
            raise
        self._seen[org_id] = last
        block = Range(last - size + 1, last)
        number = block.take_sized(1)[0]
        if write and pending is not None:
            pending.blocks[key] = block
        else:
            self.pool.add(key, block)
        return number

    def give_back(self, org_id: str, version: int, number: int) -> None:
        """A call that will run again from the start (sfmock.core.no_wait) does not count twice."""
        self.pool.give_back((org_id, NAME, str(version)), number)
