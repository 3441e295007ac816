"""The request journal: one row per API call, so a connector's CI can assert what it sent."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sfmock.core import ids
from sfmock.core.options import Assignment
from sfmock.core.rules.explain import decision
from sfmock.persistence.db import affected
from sfmock.persistence.later_writes import LaterWrites
from sfmock.persistence.tables import journal


@dataclass
class JournalEntry:
    """What a door noted about one call; written when the call ends, failed or not."""

    door: str
    operation: str = ""
    sobject: str | None = None
    # The assignment decision the door handed to the core (note_assignment): "none" | "default" | a rule
    # id; null when the call never got that far (or wrote nothing) and, on SOAP, without an
    # AssignmentRuleHeader.
    assignment: str | None = None
    email: dict[str, bool] | None = None
    results: list[str] = field(default_factory=list)
    error: str | None = None
    # The injected fault kind (sfmock.core.faults) that shaped the call, or None.
    fault: str | None = None
    record_ids: list[str | None] = field(default_factory=list)
    # The HTTP headers as they arrived (sfmock.logs.request_headers), credentials masked.
    headers: dict[str, str] | None = None
    # Per result: what the assignment rule decided (sfmock.core.rules.explain.decision), or None.
    assignments: list[dict[str, Any] | None] = field(default_factory=list)

    def note_assignment(self, option: Assignment) -> None:
        """The parsed option, never the raw header (REST's Sforce-Auto-Assign absent or TRUE is "default"); a
        rule id in its 18-character form, as every id inside sfmock."""
        rule = option.rule_id and (ids.canonical(option.rule_id) or option.rule_id)
        self.assignment = {"none": "none", "active": "default"}.get(option.mode, rule)

    def note_results(self, results: list[Any]) -> None:
        """One code per record: "OK" or its first error's status code."""
        self.results = ["OK" if r.success else (r.errors[0].code if r.errors else "ERROR") for r in results]
        # A SaveResult's or MergeResult's id; a LeadConvertResult names its lead.
        self.record_ids = [getattr(r, "id", None) or getattr(r, "lead_id", None) for r in results]
        decided = [decision(getattr(r, "routing", None)) for r in results]
        self.assignments = decided if any(decided) else []


# One statement for every call, its values as parameters (one compiled form, no per-call construction).
_INSERT = sa.insert(journal)


def write(session: Session, org_id: str, user_id: str | None, entry: JournalEntry) -> None:
    if entry.operation:
        session.execute(_INSERT, _values(org_id, user_id, entry))


def write_later(queue: LaterWrites, org_id: str, user_id: str | None, entry: JournalEntry) -> None:
    """The entry queued (a read call's), stamped now: the next write session writes it."""
    if entry.operation:
        queue.add(_INSERT, _values(org_id, user_id, entry))


def _values(org_id: str, user_id: str | None, entry: JournalEntry) -> dict[str, Any]:
    return dict(
        org_id=org_id, at=datetime.now(UTC).replace(tzinfo=None), door=entry.door, operation=entry.operation,
        sobject=entry.sobject, user_id=user_id, assignment=entry.assignment,
        email=json.dumps(entry.email) if entry.email is not None else None, record_count=len(entry.results),
        results=json.dumps(entry.results), error=entry.error, fault=entry.fault,
        record_ids=json.dumps(entry.record_ids) if entry.record_ids else None,
        headers=json.dumps(entry.headers) if entry.headers is not None else None,
        assignments=json.dumps(entry.assignments) if entry.assignments else None)


def _row(mapping: Any) -> dict[str, Any]:
    row = dict(mapping)
    row["at"] = row["at"].isoformat(timespec="milliseconds") + "Z"
    row["email"] = json.loads(row["email"]) if row["email"] else None
    row["results"] = json.loads(row["results"])
    row["record_ids"] = json.loads(row["record_ids"]) if row.get("record_ids") else []
    row["headers"] = json.loads(row["headers"]) if row.get("headers") else None
    row["assignments"] = json.loads(row["assignments"]) if row.get("assignments") else []
    return row


def list_entries(session: Session, org_id: str, *, door: str | None = None, operation: str | None = None,
                 sobject: str | None = None, since: datetime | None = None,
                 record_id: str | None = None) -> list[dict[str, Any]]:
    stmt = sa.select(journal).where(journal.c.org_id == org_id).order_by(journal.c.id)
    if record_id:
        # Ids are 18 characters of [0-9A-Za-z]: a quoted substring match on the JSON list is exact.
        stmt = stmt.where(journal.c.record_ids.contains(f'"{record_id}"'))
    if door:
        stmt = stmt.where(sa.func.lower(journal.c.door) == door.lower())
    if operation:
        stmt = stmt.where(journal.c.operation == operation)
    if sobject:
        stmt = stmt.where(journal.c.sobject == sobject)
    if since:
        stmt = stmt.where(journal.c.at >= since)
    return [_row(m) for m in session.execute(stmt).mappings()]


def clear(session: Session, org_id: str) -> int:
    return affected(session, sa.delete(journal).where(journal.c.org_id == org_id))
