"""A SOAP call that waits (on a database lock, or anything else in its operation that says it waits) never
freezes the server: a quick call starts on the event loop, and at its first wait it runs again in the thread
pool (sfmock.call_lanes), so /health and other calls answer meanwhile."""
from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from sfmock.core import no_wait
from sfmock.main import create_app
from sfmock.persistence import sequences
from sfmock.soap import operations
from tests.conftest import DemoDb
from tests.contract.test_soap_shapes import Soap, envelope

SOAP = "/services/Soap/u/59.0"
# How long the blocked call waits at most: without the thread pool the event loop is frozen this long.
HOLD = 5.0
LEAD = ("<u:sObjects><o:type>Lead</o:type><o:LastName>Wait</o:LastName><o:Company>Acme</o:Company>"
        "</u:sObjects>")


async def _until(flag: threading.Event, deadline: float) -> None:
    while not flag.is_set() and time.monotonic() < deadline:
        await asyncio.sleep(0.01)


async def _health_while_blocked(app: Any, body: str, entered: threading.Event | None,
                                release: Callable[[], None]) -> tuple[list[str], httpx.Response]:
    """Starts the SOAP call, waits until it is blocked (`entered`, else a moment), GETs /health, then lets the
    call go on. Returns the order in which the two answered, and the SOAP response."""
    order: list[str] = []
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sfmock.test", timeout=60) as client:
        async def soap_call() -> httpx.Response:
            response = await client.post(SOAP, content=body, headers={"Content-Type": "text/xml"})
            order.append("soap")
            return response

        pending = asyncio.create_task(soap_call())
        if entered is None:
            await asyncio.sleep(0.3)
        else:
            await _until(entered, time.monotonic() + HOLD)
        health = await client.get("/health")
        assert health.status_code == 200 and health.json() == {"status": "ok"}
        order.append("health")
        release()
        return order, await pending


def test_health_answers_while_an_operation_is_blocked(app_db: DemoDb,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    entered, released = threading.Event(), threading.Event()
    create = operations.create

    def blocked_create(ctx: Any, records: Any) -> Any:
        no_wait.would_wait()  # what every wait in sfmock calls first (sfmock.core.no_wait)
        entered.set()
        assert released.wait(HOLD), "nothing released the call: the event loop was frozen"
        return create(ctx, records)

    app = create_app(app_db.settings, app_db.db)
    session = Soap(app).login()
    monkeypatch.setattr(operations, "create", blocked_create)
    body = envelope(f"<u:create>{LEAD}</u:create>",
                    f"<u:SessionHeader><u:sessionId>{session}</u:sessionId></u:SessionHeader>")
    order, response = asyncio.run(_health_while_blocked(app, body, entered, released.set))
    assert order == ["health", "soap"]
    assert response.status_code == 200 and b"<success>true</success>" in response.content


def test_health_answers_while_a_call_waits_for_a_database_lock(app_db: DemoDb) -> None:
    """A real lock: another transaction holds the org's API request counter (SQLite: the write lock), so a
    write call's unit of work waits for it (up to the bounded lock wait; PostgreSQL waits for the row). Reads
    do not wait at all (tests/integration/test_locks.py)."""
    app = create_app(app_db.settings, app_db.db)
    session = Soap(app).login()
    locked, released = threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        with app_db.db.session() as sql:
            sequences.bump(sql, app_db.org.org_id, "api_requests")
            locked.set()
            released.wait(HOLD)

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        assert locked.wait(30)
        body = envelope(f"<u:create>{LEAD}</u:create>",
                        f"<u:SessionHeader><u:sessionId>{session}</u:sessionId></u:SessionHeader>")
        order, response = asyncio.run(_health_while_blocked(app, body, None, released.set))
    finally:
        released.set()
        holder.join()
    assert order == ["health", "soap"]
    assert response.status_code == 200 and b"<success>true</success>" in response.content
