"""The SMTP relay against a real SMTP server (aiosmtpd): rows delivered with their status, a down server
leaves them pending with the error and a backoff, and the API call that wrote them is never affected."""
from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from sfmock.calls import api_call, login
from sfmock.core.options import ACTIVE_RULE
from sfmock.core.results import RecordInput
from sfmock.persistence.tables import outbox
from sfmock.relay import Relay
from tests.conftest import DemoDb

ENTERPRISE = {"LastName": "Smith", "Company": "Acme", "Country": "India", "AnnualRevenue": "20000000"}


class Inbox:
    def __init__(self) -> None:
        self.mail: list[Message] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802 - aiosmtpd's hook
        self.mail.append(message_from_bytes(envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _create_lead(demo: DemoDb) -> str:
    session = login(demo.db, "admin@acme.example", "sfmock-passwordSFMOCKTOKEN", caller_ip=None).session_id
    with api_call(demo.db, session, api="soap") as call:
        [result] = call.service.create([RecordInput("Lead", ENTERPRISE)], assignment=ACTIVE_RULE,
                                       notify_owner=True)
    assert result.success
    return result.id


def _rows(demo: DemoDb) -> list[dict]:
    with demo.db.session() as session:
        return [dict(r) for r in session.execute(sa.select(outbox).order_by(outbox.c.id)).mappings()]


def test_relay_delivers_each_row_and_records_it(app_db: DemoDb, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    relay = Relay(app_db.db, app_db.settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port}))
    lead_id = _create_lead(app_db)
    assert relay.deliver_due() == 3
    assert sorted(m["To"] for m in inbox.mail) == ["enterprise-india@acme.example", "priya.rep@acme.example",
                                                   "raj.rep@acme.example"]
    first = inbox.mail[0]
    # From: the running user, as the notification's sender (the outbox row's sender_name / sender_email).
    assert first["From"] == "Ada Admin <admin@acme.example>" and first["X-Sfmock-Record-Id"] == lead_id
    assert first["X-Sfmock-Mail-Kind"] == "assignment"
    rows = _rows(app_db)
    assert (
        first["Subject"] == rows[0]["subject"]
        and first.get_payload().replace("\r\n", "\n").strip() == rows[0]["body"].strip()
    )
    assert [(r["delivery_status"], r["delivery_attempts"],
             r["delivery_error"]) for r in rows] == [("sent", 1, None)] * 3
    assert all(r["delivered_at"] is not None for r in rows)
    assert relay.deliver_due() == 0 and len(inbox.mail) == 3  # never sent twice


def test_a_down_server_leaves_rows_pending_with_a_backoff(app_db: DemoDb) -> None:
    settings = app_db.settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": _free_port(),
                                                  "smtp_max_attempts": 2, "smtp_retry_seconds": 0})
    relay = Relay(app_db.db, settings)
    _create_lead(app_db)  # the API call succeeds whatever SMTP does
    assert relay.deliver_due() == 0
    rows = _rows(app_db)
    assert [(r["delivery_status"], r["delivery_attempts"]) for r in rows] == [("pending", 1)] * 3
    assert all(r["delivery_error"].startswith("ConnectionRefusedError") for r in rows)
    assert all(r["delivery_next_at"] is not None for r in rows)
    relay.deliver_due()  # the second and last attempt
    assert [(r["delivery_status"], r["delivery_attempts"]) for r in _rows(app_db)] == [("failed", 2)] * 3


def test_rows_written_before_the_relay_started_are_not_sent(app_db: DemoDb, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    _create_lead(app_db)
    relay = Relay(app_db.db, app_db.settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port}))
    assert relay.deliver_due() == 0 and inbox.mail == []
    assert [r["delivery_status"] for r in _rows(app_db)] == [None] * 3
