"""Where a door runs a call (sfmock.call_lanes): a quick call on SQLite on the event loop; anything that
would wait there runs again from the start in the thread pool; a wait for this process's own write lock is
waited out on the loop without blocking it."""
from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass

import pytest

from sfmock.call_lanes import run_call
from sfmock.core import no_wait


@dataclass
class FakeDb:
    is_sqlite: bool = True


def _run(db: FakeDb | None, quick: bool, call) -> tuple[object, int]:  # noqa: ANN001
    async def main() -> tuple[object, int]:
        return await run_call(db, quick, call), threading.get_ident()

    return asyncio.run(main())


def test_a_quick_call_on_sqlite_runs_on_the_event_loop() -> None:
    result, loop_thread = _run(FakeDb(), True, threading.get_ident)
    assert result == loop_thread


@pytest.mark.parametrize("db,quick", [(FakeDb(), False), (FakeDb(is_sqlite=False), True), (None, True)])
def test_other_calls_run_in_the_thread_pool(db, quick) -> None:  # noqa: ANN001
    result, loop_thread = _run(db, quick, threading.get_ident)
    assert result != loop_thread


def test_a_call_that_would_wait_runs_again_from_the_start_in_the_thread_pool() -> None:
    runs: list[tuple[int, bool]] = []

    def call() -> str:
        runs.append((threading.get_ident(), no_wait.refusing()))
        no_wait.would_wait()
        return "done"

    result, loop_thread = _run(FakeDb(), True, call)
    assert result == "done"
    assert runs[0] == (loop_thread, True)
    assert runs[1][0] != loop_thread and runs[1][1] is False  # in the pool, waiting is allowed
    assert len(runs) == 2


def test_once_a_write_committed_the_run_waits_like_any_other() -> None:
    def call() -> bool:
        no_wait.committed()
        no_wait.would_wait()  # does not raise: the call cannot be run again from the start
        return no_wait.refusing()

    assert _run(FakeDb(), True, call)[0] is False


def test_a_wait_for_this_process_is_waited_out_on_the_loop_without_blocking_it() -> None:
    held = threading.Event()
    lock = threading.Lock()
    ticks: list[int] = []

    def call() -> int:
        if not lock.acquire(blocking=False):
            no_wait.would_wait(until=lambda: not lock.locked())
        lock.release()
        return threading.get_ident()

    async def ticker() -> None:
        for n in range(5):
            ticks.append(n)
            await asyncio.sleep(0.005)

    def holder() -> None:
        with lock:
            held.set()
            threading.Event().wait(0.1)

    async def main() -> tuple[int, int]:
        threading.Thread(target=holder).start()
        held.wait()
        result, _ = await asyncio.gather(run_call(FakeDb(), True, call), ticker())
        return result, threading.get_ident()

    result, loop_thread = asyncio.run(main())
    assert result == loop_thread  # ran on the loop once the lock was free
    assert ticks == [0, 1, 2, 3, 4]  # the loop went on meanwhile


def test_a_number_taken_by_a_call_that_runs_again_is_given_back() -> None:
    from sfmock.persistence.blocks import Pool, Range

    pool = Pool()
    pool.add(("org", "api_requests", "1"), Range(1, 50))
    first = pool.take(("org", "api_requests", "1"))
    assert first == [1]
    pool.give_back(("org", "api_requests", "1"), 1)
    assert pool.take(("org", "api_requests", "1")) == [1]
    assert pool.take(("org", "api_requests", "1")) == [2]
    pool.give_back(("org", "api_requests", "1"), 1)  # another number was taken after it: a gap, not reused
    assert pool.take(("org", "api_requests", "1")) == [3]
