"""Numbers reserved in blocks, so that record ids and the API request count do not cost a locked write each.

A process reserves a block of numbers with one counter update (sfmock.persistence.sequences.bump) and hands
them out from memory. Blocks are committed before they are handed out, so two processes never share a number,
and a process that dies (kill -9) only leaves a gap: Salesforce ids are unique, never consecutive. A block
reserved inside a call's transaction is usable by that call at once and joins the process's pool only when the
call commits (a rolled-back call takes its reservation with it)."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

ID_BLOCK = 100
REQUEST_BLOCK = 50

Key = tuple[str, ...]


@dataclass
class Range:
    first: int
    last: int

    def take(self, count: int) -> list[int] | None:
        if self.last - self.first + 1 < count:
            return None
        numbers = list(range(self.first, self.first + count))
        self.first += count
        return numbers

    def take_sized(self, count: int) -> list[int]:
        """`count` numbers from a block made to hold at least that many."""
        numbers = self.take(count)
        if numbers is None:
            raise ValueError(f"a block of {self.last - self.first + 1} numbers cannot give {count}")
        return numbers


class Pool:
    """Free numbers per key (org id, counter name, ...), shared by the threads of one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._free: dict[Key, Range] = {}

    def take(self, key: Key, count: int = 1) -> list[int] | None:
        with self._lock:
            found = self._free.get(key)
            return found.take(count) if found else None

    def add(self, key: Key, block: Range) -> None:
        """The block replaces what is left of the key's previous one (the rest is a gap)."""
        if block.first <= block.last:
            with self._lock:
                self._free[key] = block

    def give_back(self, key: Key, number: int) -> None:
        """`number`, just taken, is free again if nothing was taken after it (else it stays a gap)."""
        with self._lock:
            found = self._free.get(key)
            if found is not None and found.first == number + 1:
                found.first = number

    def drop(self, prefix: Key) -> None:
        """Forgets every block whose key starts with `prefix` (an org whose counters were reset)."""
        with self._lock:
            for key in [k for k in self._free if k[: len(prefix)] == prefix]:
                del self._free[key]


@dataclass
class Pending:
    """Blocks reserved inside one call's transaction: usable by the call, pooled after its commit."""

    blocks: dict[Key, Range] = field(default_factory=dict)

    def take(self, key: Key, count: int) -> list[int] | None:
        found = self.blocks.get(key)
        return found.take(count) if found else None

    def hand_over(self, pool: Pool) -> None:
        for key, block in self.blocks.items():
            pool.add(key, block)
        self.blocks.clear()
