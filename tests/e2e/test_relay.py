"""The SMTP relay in a real server: a Lead created over SOAP (zeep) with the notification asked for is
answered at once; its mail reaches a real SMTP server (aiosmtpd), or stays pending while that server is
down."""
from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sfmock.pytest_plugin import SfmockServer, start_server, stop_server
from sfmock.soap.wsdl import WSDL_PATH
from tests.e2e.zeep_partner import PartnerClient
from tests.integration.test_relay import Inbox, _free_port

pytestmark = pytest.mark.e2e
ENTERPRISE = {"LastName": "Kumar", "Company": "Tata", "Country": "India", "AnnualRevenue": "20000000"}
HEADERS = {"AssignmentRuleHeader": {"useDefaultRule": True},
           "EmailHeader": {"triggerAutoResponseEmail": False, "triggerOtherEmail": False,
                           "triggerUserEmail": True}}


@pytest.fixture
def relay_server(tmp_path: Path) -> Iterator[tuple[SfmockServer, Inbox, Any]]:
    from aiosmtpd.controller import Controller

    inbox, smtp_port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    server = start_server(tmp_path,
                          settings={"SFMOCK_SMTP_HOST": "127.0.0.1", "SFMOCK_SMTP_PORT": str(smtp_port),
                                              "SFMOCK_SMTP_POLL_SECONDS": "0.1",
                                              "SFMOCK_SMTP_RETRY_SECONDS": "0"})
    try:
        yield server, inbox, controller
    finally:
        stop_server(server)
        controller.stop(no_assert=True)


def _outbox_when(org: Any, done: Any) -> list[dict]:
    """The org's outbox once `done(rows)` holds (the relay works in the background; at most 30 s)."""
    deadline = time.monotonic() + 30
    while True:
        rows = org.outbox()
        if done(rows) or time.monotonic() > deadline:
            return rows
        time.sleep(0.1)


def test_relay_down_then_up(relay_server: tuple[SfmockServer, Inbox, Any]) -> None:
    server, inbox, controller = relay_server
    org = server.create_org()
    partner = PartnerClient(WSDL_PATH, org.soap_login_url, org.username, org.password + org.security_token)
    lead = partner.sobject("Lead", **ENTERPRISE)
    # SMTP server down: the call succeeds, its rows stay pending with the error.
    [result] = partner.service.create([lead], _soapheaders=partner.session | HEADERS).body.result
    assert result.success is True
    rows = _outbox_when(org, lambda rs: len(rs) == 3 and all(r["delivery_attempts"] >= 1 for r in rs))
    assert {r["delivery_status"] for r in rows} == {"pending"}
    assert all("ConnectionRefusedError" in r["delivery_error"] for r in rows)
    # Server up: the retries deliver.
    controller.start()
    rows = _outbox_when(org, lambda rs: all(r["delivery_status"] == "sent" for r in rs))
    assert [r["delivery_status"] for r in rows] == ["sent"] * 3
    assert sorted(m["To"] for m in inbox.mail) == sorted(r["recipient"] for r in rows)
