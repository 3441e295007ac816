"""Where a door runs a call: on the server's event loop when it can run there without waiting, else in the
thread pool.

A quick call (a record create, a query) on SQLite runs on the event loop inside a no-wait run
(sfmock.core.no_wait): if anything in it would wait (the write lock held by a call in the thread pool or by
another process, an injected delay, the SOQL parser still building), it stops with WouldWait before it has
committed anything, and runs again from the start in the thread pool, where waiting freezes nothing. On
PostgreSQL every statement waits for the server over the network: calls stay in the thread pool, where those
waits overlap."""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool

from sfmock.core.no_wait import WouldWait, no_waiting

T = TypeVar("T")
# How long a quick call waits on the event loop (without blocking it) for this process's write lock, and how
# often it looks; then the thread pool waits the database's full lock wait.
LOOP_WAIT = 0.5
LOCK_POLL = 0.001


async def run_call(db: Any, quick: bool, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`call(*args, **kwargs)`: on the event loop if `quick` and `db` is SQLite and nothing in it waits,
    else in the thread pool."""
    if quick and db is not None and db.is_sqlite:
        loop = asyncio.get_running_loop()
        give_up = loop.time() + LOOP_WAIT
        while True:
            with no_waiting():
                try:
                    return call(*args, **kwargs)
                except WouldWait as wait:
                    until = wait.until
            if until is None:
                break
            # A call in the thread pool (a Bulk job, a composite) holds this process's write lock: it will
            # let go in a moment. Waiting for it in the thread pool would send every following quick call
            # there too (each finding the lock taken by the one before). The call runs again only once the
            # lock looks free: each run repeats what it did before it asked for the lock.
            await asyncio.sleep(0)  # the others' turn first, whatever the lock looks like now
            while not until() and loop.time() < give_up:
                await asyncio.sleep(LOCK_POLL)
            if loop.time() >= give_up:
                break
    return await run_in_threadpool(call, *args, **kwargs)
