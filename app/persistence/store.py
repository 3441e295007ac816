"""The Store the core works on: one org's rows inside one SQLAlchemy session (one unit of work)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.core import ids
from app.core.mail import MailMessage
from app.core.org import OrgSettings
from app.core.rules.model import AssignmentRule
from app.persistence import sequences
from app.persistence.rule_codec import decode_entries, decode_entry
from app.persistence.tables import assignment_rule_entries, auto_response_rules, outbox, table_for, web_submissions
from app.persistence.values import row_to_core, row_to_db

Row = dict[str, Any]


class SqlStore:
    def __init__(self, session: Session, org: OrgSettings, org_number: int) -> None:
        self.session = session
        self.org = org
        self.org_number = org_number

    # --- ids and counters -------------------------------------------------------------------------
    def new_ids(self, prefix: str, count: int = 1) -> list[str]:
        last = sequences.bump(self.session, self.org.org_id, f"id:{prefix}", count)
        return [ids.make_id(prefix, self.org_number, n) for n in range(last - count + 1, last + 1)]

    def next_number(self, sequence: str) -> int:
        return sequences.bump(self.session, self.org.org_id, sequence)

    # --- rows ---------------------------------------------------------------------------------------
    def insert(self, sobject: str, row: Row) -> None:
        self.session.execute(sa.insert(table_for(sobject)).values(org_id=self.org.org_id, **row_to_db(row)))

    def update(self, sobject: str, record_id: str, values: Row) -> None:
        table = table_for(sobject)
        self.session.execute(
            sa.update(table)
            .where(table.c.org_id == self.org.org_id, table.c.Id == record_id)
            .values(**row_to_db(values))
        )

    def get(self, sobject: str, record_id: str, *, include_deleted: bool = False) -> Row | None:
        table = table_for(sobject)
        stmt = sa.select(table).where(table.c.org_id == self.org.org_id, table.c.Id == record_id)
        if not include_deleted:
            stmt = stmt.where(table.c.IsDeleted.is_(False))
        found = self.session.execute(stmt).mappings().first()
        return row_to_core(found) if found else None

    def find(self, sobject: str, where: Row, *, include_deleted: bool = False) -> list[Row]:
        table = table_for(sobject)
        stmt = sa.select(table).where(table.c.org_id == self.org.org_id)
        for name, value in where.items():
            stmt = stmt.where(table.c[name].is_(None) if value is None else table.c[name] == value)
        if not include_deleted:
            stmt = stmt.where(table.c.IsDeleted.is_(False))
        return [row_to_core(m) for m in self.session.execute(stmt.order_by(table.c.Id)).mappings()]

    def username_taken(self, username: str, except_id: str | None = None) -> bool:
        users = table_for("User")
        stmt = sa.select(users.c.Id).where(sa.func.lower(users.c.Username) == username.lower())
        if except_id:
            stmt = stmt.where(users.c.Id != except_id)
        return self.session.execute(stmt.limit(1)).first() is not None

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        with self.session.begin_nested():
            yield

    # --- rules and mail -----------------------------------------------------------------------------
    def active_rule(self, sobject: str) -> AssignmentRule | None:
        found = self.find("AssignmentRule", {"SobjectType": sobject, "Active": True})
        return self._rule(found[0]) if found else None

    def rule(self, rule_id: str) -> AssignmentRule | None:
        row = self.get("AssignmentRule", rule_id)
        return self._rule(row) if row else None

    def _rule(self, row: Row) -> AssignmentRule:
        t = assignment_rule_entries
        texts = self.session.execute(
            sa.select(t.c.definition).where(t.c.rule_id == row["Id"]).order_by(t.c.position)
        ).scalars()
        return AssignmentRule(
            id=row["Id"],
            name=row["Name"],
            sobject_type=row["SobjectType"],
            active=bool(row["Active"]),
            entries=tuple(decode_entry(text) for text in texts),
        )

    def active_auto_response_rule(self, sobject: str) -> AssignmentRule | None:
        t = auto_response_rules
        row = self.session.execute(sa.select(t).where(
            t.c.org_id == self.org.org_id, t.c.sobject_type == sobject, t.c.active.is_(True))).mappings().first()
        if row is None:
            return None
        return AssignmentRule(id=row["name"], name=row["name"], sobject_type=sobject, active=True,
                              entries=decode_entries(row["entries"]))

    def add_mail(self, message: MailMessage) -> None:
        self.session.execute(
            sa.insert(outbox).values(
                org_id=self.org.org_id,
                recipient=message.recipient,
                cc=message.cc,
                subject=message.subject,
                body=message.body,
                template_name=message.template_name,
                record_id=message.record_id,
                record_type=message.record_type,
                reason=message.reason,
                api=message.api,
                sender_name=message.sender_name,
                sender_email=message.sender_email,
                reply_to=message.reply_to,
                created_at=datetime.now(UTC).replace(tzinfo=None),
            )
        )

    # --- Web-to-Lead / Web-to-Case submissions ----------------------------------------------------------
    def count_web_submissions(self, sobject: str, since: datetime) -> int:
        t = web_submissions
        return self.session.execute(sa.select(sa.func.count()).select_from(t).where(
            t.c.org_id == self.org.org_id, t.c.sobject == sobject, t.c.status == "created",
            t.c.at >= since.astimezone(UTC).replace(tzinfo=None))).scalar_one()

    def add_web_submission(self, sobject: str, status: str, form: str, record_id: str | None,
                           at: datetime) -> None:
        self.session.execute(sa.insert(web_submissions).values(
            org_id=self.org.org_id, sobject=sobject, status=status, form=form, record_id=record_id,
            at=at.astimezone(UTC).replace(tzinfo=None)))

    def web_submissions(self, status: str) -> list[Row]:
        t = web_submissions
        rows = self.session.execute(sa.select(t.c.id, t.c.sobject, t.c.form, t.c.status).where(
            t.c.org_id == self.org.org_id, t.c.status == status).order_by(t.c.id)).mappings()
        return [dict(r) for r in rows]

    def finish_web_submission(self, submission_id: int, status: str, record_id: str | None, at: datetime) -> None:
        self.session.execute(sa.update(web_submissions).where(web_submissions.c.id == submission_id).values(
            status=status, record_id=record_id, at=at.astimezone(UTC).replace(tzinfo=None)))
