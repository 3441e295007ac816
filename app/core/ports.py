"""What the core needs from persistence: one org's records, rules and outbox within one unit of work."""
from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, Protocol

from sfmock.core.mail import MailMessage
from sfmock.core.org import OrgSettings
from sfmock.core.rules.model import AssignmentRule
from sfmock.core.schema import SchemaRegistry

Row = dict[str, Any]


class Store(Protocol):
    """One org, one transaction. Rows are dicts keyed by canonical API field names with Python values
    (str, bool, int, float, datetime.date, aware datetime.datetime, None); ids are 18 characters."""

    org: OrgSettings
    # The org's own schema: the standard objects plus its custom fields, value sets and record types.
    schema: SchemaRegistry

    def new_ids(self, prefix: str, count: int = 1) -> list[str]:
        """Fresh 18-char ids with this key prefix: unique everywhere, increasing within the org."""

    def next_number(self, sequence: str) -> int:
        """The next value of a per-org counter (e.g. "CaseNumber")."""

    def insert(self, sobject: str, row: Row) -> None: ...

    def update(self, sobject: str, record_id: str, values: Row) -> None: ...

    def purge(self, sobject: str, record_id: str) -> None:
        """Removes the row for good (emptyRecycleBin)."""

    def get(self, sobject: str, record_id: str, *, include_deleted: bool = False) -> Row | None: ...

    def find(self, sobject: str, where: Row, *, include_deleted: bool = False,
             ignore_case: tuple[str, ...] = ()) -> list[Row]:
        """Rows whose fields equal every value in `where` (exact, case-sensitive, except the text fields named
        in
        `ignore_case`)."""

    def changed_between(self, sobject: str, start: Any, end: Any, *, deleted: bool) -> list[tuple[str, Any]]:
        """(Id, SystemModstamp) of the live (deleted=False) or deleted rows stamped in [start, end)."""

    def username_taken(self, username: str, except_id: str | None = None) -> bool:
        """Whether another user, in any org, has this username (compared case-insensitively)."""

    def savepoint(self) -> AbstractContextManager[None]:
        """A nested transaction: leaving it by an exception undoes only what happened inside."""

    def batched_inserts(self) -> AbstractContextManager[None]:
        """A multi-record write: the store may hold record inserts until the block ends (each create's insert
        is its last step), writing them earlier only when something else reads or writes through it."""

    def active_rule(self, sobject: str) -> AssignmentRule | None: ...

    def rule(self, rule_id: str) -> AssignmentRule | None: ...

    def active_auto_response_rule(self, sobject: str) -> AssignmentRule | None:
        """The active auto-response rule of Lead or Case (entries as RuleEntry), or None."""

    def add_mail(self, message: MailMessage) -> None: ...

    # Web-to-Lead / Web-to-Case: submissions by status ("created" | "pending" | "rejected" | "failed").
    def count_web_submissions(self, sobject: str, since: datetime) -> int:
        """How many `sobject` records web forms created since `since` (the rolling daily limit)."""

    def add_web_submission(self, sobject: str, status: str, form: str, record_id: str | None,
                           at: datetime) -> None: ...

    def web_submissions(self, status: str) -> list[Row]:
        """Rows (id, sobject, form, status) with this status, oldest first ("pending": the shared queue)."""

    def finish_web_submission(self, submission_id: int, status: str, record_id: str | None,
                              at: datetime) -> None: ...
