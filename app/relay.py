"""The SMTP relay (optional, SFMOCK_SMTP_HOST): delivers outbox rows written while it runs to a real SMTP
server (Mailpit, a team's catch-all), recording each row's delivery status and last error, retrying with
exponential backoff. It runs beside the server in its own thread and its own transactions, so an API call that
writes mail never waits for SMTP and never fails because of it."""
from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from typing import Any

import sqlalchemy as sa

from sfmock.persistence.db import Database, affected
from sfmock.persistence.tables import outbox

log = logging.getLogger("sfmock.relay")
BATCH = 50


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def message_for(row: dict[str, Any], default_from: str) -> EmailMessage:
    """The mail for one outbox row: From is the row's sender (an auto-response entry's senderName and
    senderEmail, the running user for a notification; salesforce-rules-mail-web.md §3), else the relay's
    default; Cc and Reply-To when the row has them."""
    mail = EmailMessage()
    sender = row.get("sender_email")
    mail["From"] = formataddr((row.get("sender_name") or "", sender)) if sender else default_from
    mail["To"] = row["recipient"]
    if row.get("cc"):
        mail["Cc"] = row["cc"]
    if row.get("reply_to"):
        mail["Reply-To"] = row["reply_to"]
    mail["Subject"] = row["subject"]
    mail["Date"] = formatdate(usegmt=True)
    mail["Message-ID"] = make_msgid(domain="sfmock.local")
    mail["X-Sfmock-Org-Id"] = row["org_id"]
    mail["X-Sfmock-Record-Id"] = row["record_id"]
    mail["X-Sfmock-Mail-Kind"] = str(row.get("reason") or "")
    mail.set_content(row["body"])
    return mail


class Relay:
    """Delivers due rows: created since the relay started, pending, and whose next attempt has come."""

    def __init__(self, db: Database, settings: Any, *, since: datetime | None = None) -> None:
        self.db = db
        self.settings = settings
        self.since = since or _now()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _due(self) -> list[dict[str, Any]]:
        now = _now()
        with self.db.session() as session:
            stmt = sa.select(outbox).where(
                outbox.c.created_at >= self.since,
                sa.or_(outbox.c.delivery_status.is_(None), outbox.c.delivery_status == "pending"),
                sa.or_(outbox.c.delivery_next_at.is_(None), outbox.c.delivery_next_at <= now),
            ).order_by(outbox.c.id).limit(BATCH)
            return [dict(r) for r in session.execute(stmt).mappings()]

    def _claim(self, row: dict[str, Any]) -> bool:
        """Marks the row as being sent; False when another process claimed it first."""
        with self.db.session() as session:
            return affected(session, sa.update(outbox).where(
                outbox.c.id == row["id"],
                sa.or_(outbox.c.delivery_status.is_(None), outbox.c.delivery_status == "pending"),
            ).values(delivery_status="sending")) > 0

    def _send(self, mail: EmailMessage) -> None:
        s = self.settings
        if s.smtp_tls == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout,
                                                    context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout)
        with client:
            if s.smtp_tls == "starttls":
                client.starttls(context=ssl.create_default_context())
            if s.smtp_username:
                client.login(s.smtp_username, s.smtp_password or "")
            client.send_message(mail)

    def deliver_due(self) -> int:
        """One pass: sends every due row once; returns how many were sent."""
        sent = 0
        for row in self._due():
            if not self._claim(row):
                continue
            attempts = row["delivery_attempts"] + 1
            values: dict[str, Any] = {"delivery_attempts": attempts}
            try:
                self._send(message_for(row, self.settings.smtp_from))
            except (OSError, smtplib.SMTPException) as error:
                last = attempts >= self.settings.smtp_max_attempts
                delay = self.settings.smtp_retry_seconds * 2 ** (attempts - 1)
                values |= {"delivery_status": "failed" if last else "pending",
                           "delivery_error": f"{type(error).__name__}: {error}"[:1000],
                           "delivery_next_at": None if last else _now() + timedelta(seconds=delay)}
                log.warning("mail %s to %s not delivered (attempt %s): %s", row["id"], row["recipient"],
                            attempts,
                            error)
            else:
                values |= {"delivery_status": "sent", "delivery_error": None, "delivered_at": _now(),
                           "delivery_next_at": None}
                sent += 1
            with self.db.session() as session:
                session.execute(sa.update(outbox).where(outbox.c.id == row["id"]).values(**values))
        return sent

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.deliver_due()
            except Exception:  # noqa: BLE001 - the relay must outlive a failed pass (database restarting, ...)
                log.exception("relay pass failed")
            self._stop.wait(self.settings.smtp_poll_seconds)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="sfmock-relay", daemon=True)
        self._thread.start()
        log.info("relaying outbox mail to %s:%s (tls=%s)", self.settings.smtp_host, self.settings.smtp_port,
                 self.settings.smtp_tls)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)


def start_relay(settings: Any) -> Relay | None:
    """The relay for this server when SFMOCK_SMTP_HOST is set, else None."""
    if not settings.smtp_host:
        return None
    relay = Relay(Database(settings.database_url), settings)
    relay.start()
    return relay
