"""The API request count across processes (two Database objects on one database stand for two processes):
every call gets its own number, blocks never overlap, the call over the limit is refused exactly (near the
limit the processes take one number at a time), and an org reset restarts the count in every process."""
from __future__ import annotations

import itertools

import pytest

from sfmock.calls import api_call, login
from sfmock.core.errors import CallError
from sfmock.persistence.blocks import REQUEST_BLOCK
from sfmock.persistence.db import Database
from sfmock.persistence.orgs import clear_data
from tests.conftest import DemoDb


@pytest.fixture
def two_processes(app_db: DemoDb):  # noqa: ANN201
    other = Database(app_db.db.url)
    yield app_db.db, other
    other.dispose()


def _usage(db: Database, session: str, limit: int, *, write: bool) -> int:
    with api_call(db, session, api="rest", request_limit=limit, write=write) as call:
        return call.usage[0]


def _session(db: Database) -> str:
    return login(db, "admin@acme.example", "sfmock-passwordSFMOCKTOKEN", caller_ip=None).session_id


def test_numbers_are_unique_across_processes(two_processes) -> None:  # noqa: ANN001
    first, second = two_processes
    session = _session(first)
    numbers = [_usage(db, session, 5_000_000, write=write)
               for db, write in itertools.islice(itertools.cycle(
                   [(first, False), (second, False), (first, True), (second, True)]), 40)]
    assert len(set(numbers)) == 40


def test_the_call_over_the_limit_is_refused_exactly(two_processes) -> None:  # noqa: ANN001
    first, second = two_processes
    session = _session(first)
    answered, refused = [], 0
    for db, write in itertools.islice(itertools.cycle([(first, False), (second, True)]), 12):
        try:
            answered.append(_usage(db, session, 7, write=write))
        except CallError as error:
            assert (error.code, error.message) == ("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
            refused += 1
    assert sorted(answered) == [1, 2, 3, 4, 5, 6, 7] and refused == 5


def test_an_org_reset_restarts_the_count_in_every_process(two_processes, app_db: DemoDb) -> None:  # noqa: ANN001
    first, second = two_processes
    session = _session(first)
    for _ in range(3):
        _usage(first, session, 5_000_000, write=False)
        _usage(second, session, 5_000_000, write=False)
    with first.session() as sql:
        clear_data(sql, app_db.org.org_id)
    assert _usage(second, session, 5_000_000, write=False) == 1
    # The first process drops its old block (numbers 2..) and reserves the one after the second's.
    assert _usage(first, session, 5_000_000, write=False) == REQUEST_BLOCK + 1
