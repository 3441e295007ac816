"""An in-memory Store (app/core/ports.py) over dicts, for unit tests of the core."""
from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sfmock.core import ids
from sfmock.core.mail import MailMessage
from sfmock.core.org import OrgSettings
from sfmock.core.rules.model import AssignmentRule
from sfmock.core.schema import registry

Row = dict[str, Any]


class FakeStore:
    schema = registry
    """One org's rows in dicts keyed by the canonical sObject name. `add` is for arranging a test;
    the Store protocol methods behave as the persistence layer promises (copies in, copies out)."""

    def __init__(self, org: OrgSettings | None = None, *, org_number: int = 1) -> None:
        self.org = org or OrgSettings(org_id=ids.make_id("00D", org_number, 0), name="Test Org")
        self.org_number = org_number
        self.rows: dict[str, dict[str, Row]] = {}
        self.rules: dict[str, AssignmentRule] = {}
        self.auto_response_rules: dict[str, AssignmentRule] = {}
        self.outbox: list[MailMessage] = []
        self._counter = 0
        self._sequences: dict[str, int] = {}

    @staticmethod
    def _name(sobject: str) -> str:
        found = registry.get(sobject)
        return found.name if found else sobject

    # --- arranging ---------------------------------------------------------------------------------
    def add(self, sobject: str, row: Row) -> Row:
        """Stores a copy of `row`, giving it an Id (by the object's key prefix) when it has none."""
        name = self._name(sobject)
        stored = dict(row)
        if not stored.get("Id"):
            found = registry.get(name)
            stored["Id"] = self.new_ids(found.key_prefix if found else "a00")[0]
        stored.setdefault("IsDeleted", False)
        self.rows.setdefault(name, {})[stored["Id"]] = stored
        return dict(stored)

    def add_rule(self, rule: AssignmentRule) -> AssignmentRule:
        self.rules[rule.id] = rule
        return rule

    # --- the Store protocol ------------------------------------------------------------------------
    def new_ids(self, prefix: str, count: int = 1) -> list[str]:
        out = []
        for _ in range(count):
            self._counter += 1
            out.append(ids.make_id(prefix, self.org_number, self._counter))
        return out

    def next_number(self, sequence: str) -> int:
        self._sequences[sequence] = self._sequences.get(sequence, 0) + 1
        return self._sequences[sequence]

    def insert(self, sobject: str, row: Row) -> None:
        if not row.get("Id"):
            raise ValueError("insert needs an Id")
        self.add(sobject, row)

    def update(self, sobject: str, record_id: str, values: Row) -> None:
        self.rows[self._name(sobject)][record_id].update(values)

    def get(self, sobject: str, record_id: str, *, include_deleted: bool = False) -> Row | None:
        row = self.rows.get(self._name(sobject), {}).get(record_id)
        if row is None or (row.get("IsDeleted") and not include_deleted):
            return None
        return dict(row)

    def find(self, sobject: str, where: Row, *, include_deleted: bool = False,
             ignore_case: tuple[str, ...] = ()) -> list[Row]:
        """Rows in insertion order whose fields equal every value of `where` (those in ignore_case in any
        case)."""
        def same(k: str, a: Any, b: Any) -> bool:
            return a == b or (
                k in ignore_case and isinstance(a, str) and isinstance(b, str) and a.lower() == b.lower()
            )

        return [
            dict(row)
            for row in self.rows.get(self._name(sobject), {}).values()
            if (include_deleted or not row.get("IsDeleted"))
            and all(same(k, row.get(k), v) for k, v in where.items())
        ]

    def username_taken(self, username: str, except_id: str | None = None) -> bool:
        """This fake holds one org, so "any org" is this one."""
        return any((row.get("Username") or "").lower() == username.lower() and row.get("Id") != except_id
                   for row in self.rows.get("User", {}).values())

    @contextmanager
    def batched_inserts(self) -> Iterator[None]:
        yield

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        rows, outbox, sequences = copy.deepcopy((self.rows, self.outbox, self._sequences))
        try:
            yield
        except BaseException:
            # Restored in place, so a test holding `store.outbox` still sees the live list.
            self.rows.clear()
            self.rows.update(rows)
            self.outbox[:] = outbox
            self._sequences.clear()
            self._sequences.update(sequences)
            raise

    def active_rule(self, sobject: str) -> AssignmentRule | None:
        for rule in self.rules.values():
            if rule.active and rule.sobject_type.lower() == sobject.lower():
                return rule
        return None

    def rule(self, rule_id: str) -> AssignmentRule | None:
        return self.rules.get(rule_id)

    def active_auto_response_rule(self, sobject: str) -> AssignmentRule | None:
        rule = self.auto_response_rules.get(sobject)
        return rule if rule is not None and rule.active else None

    def add_mail(self, message: MailMessage) -> None:
        self.outbox.append(message)
