"""Quick calls run on the event loop (sfmock.call_lanes) and still never freeze the server: a create that
finds this process's write lock taken by a call in the thread pool waits for it while other calls are
answered; a call delayed by a fault rule is delayed in the thread pool, not on the loop."""
from __future__ import annotations

import asyncio
import threading
import time

import httpx
import pytest

from sfmock.core import no_wait
from sfmock.main import create_app
from sfmock.persistence.db import Database, WriteLocked
from tests.integration.test_rest_fixtures import ADMIN, BASE, CLIENT_ID, CLIENT_SECRET, PASSWORD, V

LEAD = {"LastName": "Lane", "Company": "Acme"}
SOQL = {"q": "SELECT Id FROM Lead LIMIT 1"}


async def _client(app) -> tuple[httpx.AsyncClient, dict[str, str]]:  # noqa: ANN001
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE)
    token = (await client.post("/services/oauth2/token", data={
        "grant_type": "password", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
        "username": ADMIN, "password": PASSWORD})).json()["access_token"]
    return client, {"Authorization": f"Bearer {token}"}


async def _timed(call) -> tuple[httpx.Response, float]:  # noqa: ANN001
    response = await call
    return response, time.monotonic()


def test_a_create_waits_for_a_thread_holding_the_write_lock_while_queries_answer(app_db) -> None:  # noqa: ANN001
    if not app_db.db.is_sqlite:
        pytest.skip("PostgreSQL calls run in the thread pool (sfmock.call_lanes)")
    app = create_app(app_db.settings, app_db.db)
    held, release = threading.Event(), threading.Event()

    def writer_in_the_pool() -> None:  # a Bulk job's transaction, say
        with app_db.db.session():
            held.set()
            release.wait(5)

    async def main() -> None:
        client, auth = await _client(app)
        await client.get(f"{V}/query", params=SOQL, headers=auth)  # caches warm
        threading.Thread(target=writer_in_the_pool).start()
        held.wait(5)
        created = asyncio.ensure_future(_timed(client.post(f"{V}/sobjects/Lead/", json=LEAD, headers=auth)))
        queried, answered_at = await _timed(client.get(f"{V}/query", params=SOQL, headers=auth))
        assert queried.status_code == 200, queried.text
        assert not created.done()  # the create still waits for the lock, the loop answered the query
        release.set()
        response, created_at = await created
        assert response.status_code == 201, response.text
        assert created_at > answered_at
        await client.aclose()

    asyncio.run(main())


def test_a_delayed_call_does_not_delay_the_others(app_db) -> None:  # noqa: ANN001
    app = create_app(app_db.settings, app_db.db)
    org_id = app_db.org.org_id

    async def main() -> None:
        client, auth = await _client(app)
        armed = await client.post(f"/_sfmock/orgs/{org_id}/faults", json={
            "kind": "DELAY", "delay_ms": 600, "count": 1, "door": "rest", "operation": "create"})
        assert armed.status_code in (200, 201), armed.text
        start = time.monotonic()
        delayed = asyncio.ensure_future(_timed(client.post(f"{V}/sobjects/Lead/", json=LEAD, headers=auth)))
        await asyncio.sleep(0.05)
        queried, answered_at = await _timed(client.get(f"{V}/query", params=SOQL, headers=auth))
        assert queried.status_code == 200, queried.text
        response, created_at = await delayed
        assert response.status_code == 201, response.text
        assert created_at - start >= 0.6  # the delay was applied ...
        assert answered_at < created_at  # ... in the thread pool: the query was answered meanwhile
        await client.aclose()

    asyncio.run(main())


def test_on_the_loop_a_write_session_never_waits(app_db) -> None:  # noqa: ANN001
    """Before anything committed: WouldWait (the call runs again in the pool). After a commit, or for a side
    session that asked for its own wait (the request meter's): WriteLocked at once, never a wait that would
    freeze the loop."""
    if not app_db.db.is_sqlite:
        pytest.skip("PostgreSQL calls run in the thread pool (sfmock.call_lanes)")
    db = Database(app_db.db.url, lock_wait=5)
    held, release = threading.Event(), threading.Event()

    def holder() -> None:
        with db.session():
            held.set()
            release.wait(10)

    thread = threading.Thread(target=holder)
    thread.start()
    held.wait(5)
    try:
        start = time.monotonic()
        with no_wait.no_waiting():
            with pytest.raises(no_wait.WouldWait) as first, db.session():
                pass
            assert first.value.until is not None and first.value.until() is False
            with pytest.raises(WriteLocked), db.session(wait=0.0):
                pass
            no_wait.committed()
            with pytest.raises(WriteLocked), db.session():
                pass
        assert time.monotonic() - start < 1.0
    finally:
        release.set()
        thread.join()
        db.dispose()
