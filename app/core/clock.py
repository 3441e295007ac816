"""The one "now" of an API call: what SOQL's date literals (TODAY, THIS_WEEK …) and SOSL's RETURNING filters
are relative to, and the instant the record service stamps. Every door asks `now()`; a test freezes it
in-process with `frozen(instant)` (the server's own threads see it too: the source is process-wide, not a
context variable, because a TestClient runs the app in another thread). There is no HTTP knob: a frozen
clock is a test's own business, never a client's."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime


def _system() -> datetime:
    return datetime.now(UTC)


_source: Callable[[], datetime] = _system


def now() -> datetime:
    """The current instant, aware UTC."""
    return _source()


@contextmanager
def frozen(instant: datetime) -> Iterator[datetime]:
    """Within the block, `now()` answers `instant` (naive means UTC); the previous source comes back after."""
    global _source
    fixed = instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)
    previous, _source = _source, lambda: fixed
    try:
        yield fixed
    finally:
        _source = previous
