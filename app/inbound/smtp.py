"""An SMTP listener for Email-to-Case (aiosmtpd): each message is delivered to the org that routes a
recipient."""
from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from aiosmtpd.controller import Controller

from sfmock.inbound.mailbox import deliver, org_for, parse
from sfmock.persistence.db import Database

log = logging.getLogger("sfmock")


class EmailToCaseHandler:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,  # noqa: N802
                          rcpt_options: list[str]) -> str:
        if org_for(self.db, address) is None:
            return "550 5.1.1 Recipient address rejected: no Email-to-Case routing address"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        mail = parse(envelope.original_content or envelope.content)
        # The envelope recipients route the mail, even one the headers do not show (Bcc).
        mail = replace(mail, to=tuple(dict.fromkeys((*mail.to, *envelope.rcpt_tos))))
        for org_id in {found for a in envelope.rcpt_tos if (found := org_for(self.db, a)) is not None}:
            outcome = deliver(self.db, org_id, mail)
            log.info("sfmock: Email-to-Case %s: %s", org_id, outcome)
        return "250 Message accepted for delivery"


def start(db: Database, host: str, port: int) -> Controller:
    controller = Controller(EmailToCaseHandler(db), hostname=host, port=port)
    controller.start()
    return controller
