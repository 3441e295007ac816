"""Runs that must not wait: a door runs a quick call on the server's event loop, where a wait (the write
lock, an injected delay, the SOQL parser still building) would freeze every other call. Each place that
could wait calls would_wait() first; in such a run that has committed nothing yet it raises WouldWait, and
the door runs the call again from the start in its thread pool, where waiting is harmless.

Why: handing each call to a worker thread and back cost more than the call itself under load (8 clients:
2.7 ms of CPU per query instead of 1.2, the threads taking the GIL from each other; `make bench`)."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


class WouldWait(BaseException):  # noqa: N818 - a signal, not an error
    """The run would have to wait. A BaseException, so that no handler's `except Exception` answers it as
    an error: it reaches the door, which runs the call again in its thread pool. `until`: for a wait on
    another call of this process (its write lock), a cheap check that the wait is over, so that the door
    may wait it out without blocking and run the call again where it is."""

    def __init__(self, until: Callable[[], bool] | None = None) -> None:
        super().__init__()
        self.until = until


@dataclass
class _Run:
    # Once a write has committed, the call cannot be run again from the start: later waits just wait.
    committed: bool = False


_run: ContextVar[_Run | None] = ContextVar("sfmock_no_wait", default=None)


@contextmanager
def no_waiting() -> Iterator[None]:
    """The block is a run that must not wait (WouldWait at the first wait, before any commit)."""
    token = _run.set(_Run())
    try:
        yield
    finally:
        _run.reset(token)


def in_run() -> bool:
    """True on the event loop's side of a door (a no-wait run, committed or not)."""
    return _run.get() is not None


def refusing() -> bool:
    """True in a run that must not wait and has committed nothing yet."""
    run = _run.get()
    return run is not None and not run.committed


def would_wait(until: Callable[[], bool] | None = None) -> None:
    """Called before something that may wait (`until`: see WouldWait)."""
    if refusing():
        raise WouldWait(until)


def committed() -> None:
    """A write of the run has committed: from now on it waits like any other."""
    run = _run.get()
    if run is not None:
        run.committed = True
