"""The Store the core works on: one org's rows inside one SQLAlchemy session (one unit of work)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sfmock.core import ids
from sfmock.core.mail import MailMessage
from sfmock.core.org import OrgSettings
from sfmock.core.rules.model import AssignmentRule
from sfmock.core.schema import SchemaRegistry
from sfmock.core.schema.org_schema import build
from sfmock.core.values import storable
from sfmock.persistence import sequences
from sfmock.persistence.blocks import ID_BLOCK, Pending, Pool, Range
from sfmock.persistence.db import savepoint
from sfmock.persistence.insert_batch import InsertBatch
from sfmock.persistence.org_cache import CONFIG_SOBJECTS, bump_version
from sfmock.persistence.rule_codec import decode_entries, decode_entry
from sfmock.persistence.tables import (
    assignment_rule_entries,
    auto_response_rules,
    outbox,
    table_for,
    web_submissions,
)
from sfmock.persistence.values import from_db, to_db

Row = dict[str, Any]
_STANDARD = build(None)


class SqlStore:
    """`config` (sfmock.persistence.org_cache.OrgConfig) serves the configuration objects without a query;
    `pool` hands out record numbers reserved in blocks (sfmock.persistence.blocks). Without them every read
    goes to the database and every id costs a counter update, as the admin API and org loading want."""

    def __init__(self, session: Session, org: OrgSettings, org_number: int,
                 schema: SchemaRegistry = _STANDARD, *, config: Any = None, pool: Pool | None = None) -> None:
        self._session = session
        # Rows held by batched_inserts (None: every insert runs at once).
        self._batch: InsertBatch | None = None
        self.org = org
        self.org_number = org_number
        # The org's own schema: field names map to storage columns through it (custom fields live in slots).
        self.schema = schema
        self.config = config
        self.pool = pool
        self.pending = Pending()
        self._mail: list[Row] = []
        self._mail_hooked = False

    @property
    def session(self) -> Session:
        """The call's session; whoever takes it to run a statement has the held rows written first."""
        if self._batch is not None:
            self._batch.write(self._session)
        return self._session

    @contextmanager
    def batched_inserts(self) -> Iterator[None]:
        """Inserts of records (not of configuration objects) are held while the block runs and written
        together when it ends normally (sfmock.persistence.insert_batch); an exception drops them with the
        work."""
        if self._batch is not None:
            yield
            return
        self._batch = InsertBatch()
        try:
            yield
            self._batch.write(self._session)
        finally:
            self._batch = None

    def _to_db(self, sobject: str, row: Row) -> Row:
        obj = self.schema.get(sobject)
        out: Row = {}
        for name, value in row.items():
            field = obj.field(name) if obj else None
            out[field.column if field else name] = to_db(value)
        return out

    def _to_core(self, sobject: str, mapping: Any) -> Row:
        obj = self.schema.get(sobject)
        if obj is None:
            return {k: from_db(v) for k, v in mapping.items() if k != "org_id"}
        return {f.name: from_db(mapping[f.column]) for f in obj.fields if f.column in mapping}

    # --- ids and counters -------------------------------------------------------------------------
    def new_ids(self, prefix: str, count: int = 1) -> list[str]:
        key = (self.org.org_id, f"id:{prefix}")
        numbers = self.pending.take(key, count) or (self.pool.take(key, count) if self.pool else None)
        if numbers is None:
            size = max(count, ID_BLOCK) if self.pool else count
            last = sequences.bump(self.session, self.org.org_id, key[1], size)
            block = Range(last - size + 1, last)
            numbers = block.take_sized(count)
            self.pending.blocks[key] = block
        return [ids.make_id(prefix, self.org_number, n) for n in numbers]

    def next_number(self, sequence: str) -> int:
        return sequences.bump(self.session, self.org.org_id, sequence)

    # --- rows ---------------------------------------------------------------------------------------
    def insert(self, sobject: str, row: Row) -> None:
        self._changing(sobject)
        params = {"org_id": self.org.org_id, **self._to_db(sobject, row)}
        if self._batch is not None and sobject not in CONFIG_SOBJECTS:
            self._batch.add(table_for(sobject), params)
            return
        # Parameters apart from the statement: one cached compiled INSERT per column set, no per-row literals.
        self.session.execute(table_for(sobject).insert(), params)

    def update(self, sobject: str, record_id: str, values: Row) -> None:
        self._changing(sobject)
        table = table_for(sobject)
        self.session.execute(
            sa.update(table)
            .where(table.c.org_id == self.org.org_id, table.c.Id == record_id)
            .values(**self._to_db(sobject, values))
        )

    def purge(self, sobject: str, record_id: str) -> None:
        self._changing(sobject)
        table = table_for(sobject)
        self.session.execute(sa.delete(table).where(table.c.org_id == self.org.org_id,
                                                    table.c.Id == record_id))

    def _changing(self, sobject: str) -> None:
        """A write to a configuration object bumps the org's version (each time: a savepoint may roll one
        bump back) and stops this store reading the cache, which no longer holds what this transaction
        sees."""
        if sobject in CONFIG_SOBJECTS:
            self.config = None
            bump_version(self.session, self.org.org_id)

    def get(self, sobject: str, record_id: str, *, include_deleted: bool = False) -> Row | None:
        if self.config is not None and sobject in CONFIG_SOBJECTS:
            return self.config.get(sobject, record_id, include_deleted)
        table = table_for(sobject)
        stmt = sa.select(table).where(table.c.org_id == self.org.org_id, table.c.Id == record_id)
        if not include_deleted:
            stmt = stmt.where(table.c.IsDeleted.is_(False))
        found = self.session.execute(stmt).mappings().first()
        return self._to_core(sobject, found) if found else None

    def find(self, sobject: str, where: Row, *, include_deleted: bool = False,
             ignore_case: tuple[str, ...] = ()) -> list[Row]:
        if any(isinstance(v, str) and not storable(v) for v in where.values()):
            # no stored text holds NUL or a lone surrogate (and PostgreSQL refuses such a parameter)
            return []
        if self.config is not None and sobject in CONFIG_SOBJECTS and not ignore_case:
            return self.config.find(sobject, where, include_deleted)
        table = table_for(sobject)
        stmt = sa.select(table).where(table.c.org_id == self.org.org_id)
        folded = set(self._to_db(sobject, dict.fromkeys(ignore_case)))
        for name, value in self._to_db(sobject, where).items():
            column = table.c[name]
            if value is None:
                stmt = stmt.where(column.is_(None))
            elif name in folded and isinstance(value, str):
                # As SOQL compares: lower(column) on the rows that hold a value (the slot's partial index).
                stmt = stmt.where(column.is_not(None), sa.func.lower(column) == value.lower())
            else:
                stmt = stmt.where(column == value)
        if not include_deleted:
            stmt = stmt.where(table.c.IsDeleted.is_(False))
        return [self._to_core(sobject, m) for m in self.session.execute(stmt.order_by(table.c.Id)).mappings()]

    def changed_between(self, sobject: str, start: datetime, end: datetime, *,
                        deleted: bool) -> list[tuple[str, datetime]]:
        """(Id, SystemModstamp) of the live (or deleted) rows stamped in [start, end), oldest first."""
        table = table_for(sobject)
        low, high = to_db(start), to_db(end)
        stmt = (sa.select(table.c.Id, table.c.SystemModstamp)
                .where(table.c.org_id == self.org.org_id, table.c.IsDeleted.is_(deleted),
                       table.c.SystemModstamp >= low, table.c.SystemModstamp < high)
                .order_by(table.c.SystemModstamp, table.c.Id))
        return [(m["Id"], from_db(m["SystemModstamp"])) for m in self.session.execute(stmt).mappings()]

    def username_taken(self, username: str, except_id: str | None = None) -> bool:
        users = table_for("User")
        stmt = sa.select(users.c.Id).where(sa.func.lower(users.c.Username) == username.lower())
        if except_id:
            stmt = stmt.where(users.c.Id != except_id)
        return self.session.execute(stmt.limit(1)).first() is not None

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        # Undone with the savepoint: the mail of its records, and the id blocks reserved in it (their counter
        # update is rolled back, so handing their numbers out would give another call or process the same
        # ids).
        mark, blocks = len(self._mail), dict(self.pending.blocks)
        batch = self._batch
        try:
            if batch is None:
                with savepoint(self._session):
                    yield
            else:
                # Issued only if a statement runs inside it (sfmock.persistence.insert_batch).
                point = batch.savepoint()
                try:
                    yield
                except BaseException:
                    batch.close(self._session, point, failed=True)
                    raise
                batch.close(self._session, point, failed=False)
        except BaseException:
            del self._mail[mark:]
            self.pending.blocks.clear()
            self.pending.blocks.update(blocks)
            raise

    # --- rules and mail -----------------------------------------------------------------------------
    def active_rule(self, sobject: str) -> AssignmentRule | None:
        if self.config is not None:
            found = self.config.find("AssignmentRule", {"SobjectType": sobject, "Active": True}, False)
            return self.config.rules.get(found[0]["Id"]) if found else None
        found = self.find("AssignmentRule", {"SobjectType": sobject, "Active": True})
        return self._rule(found[0]) if found else None

    def rule(self, rule_id: str) -> AssignmentRule | None:
        if self.config is not None:
            return self.config.rules.get(rule_id)
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
            t.c.org_id == self.org.org_id, t.c.sobject_type == sobject,
            t.c.active.is_(True))).mappings().first()
        if row is None:
            return None
        return AssignmentRule(id=row["name"], name=row["name"], sobject_type=sobject, active=True,
                              entries=decode_entries(row["entries"]))

    def add_mail(self, message: MailMessage) -> None:
        """Kept until the transaction commits, then written in one statement (executemany): a 200-record
        create sends hundreds of mails. A record whose savepoint rolls back takes its mail with it."""
        self._mail.append({
            "org_id": self.org.org_id,
            "recipient": message.recipient,
            "cc": message.cc,
            "subject": message.subject,
            "body": message.body,
            "template_name": message.template_name,
            "record_id": message.record_id,
            "record_type": message.record_type,
            "reason": message.reason,
            "api": message.api,
            "sender_name": message.sender_name,
            "sender_email": message.sender_email,
            "reply_to": message.reply_to,
            "created_at": datetime.now(UTC).replace(tzinfo=None),
        })
        if not self._mail_hooked:
            sa.event.listen(self._session, "before_commit", self._write_mail)
            self._mail_hooked = True

    def _write_mail(self, _session: Session | None = None) -> None:
        if self._mail:
            rows, self._mail = self._mail, []
            self.session.execute(outbox.insert(), rows)

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

    def finish_web_submission(self, submission_id: int, status: str, record_id: str | None,
                              at: datetime) -> None:
        self.session.execute(sa.update(web_submissions).where(web_submissions.c.id == submission_id).values(
            status=status, record_id=record_id, at=at.astimezone(UTC).replace(tzinfo=None)))
