"""What a rule entry's formula sees when it runs: parent rows, the running user and the org, via the Store."""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sfmock.core.formula import FormulaContext
from sfmock.core.ports import Store

Row = dict[str, Any]


def formula_context(store: Store, record: Row, *, user_id: str | None, prior: Row | None = None,
                    now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> FormulaContext:
    """$User is the running user (Help "Global Variables"); $Profile is their profile; $RecordType is the
    record's record type (blank when the object has none); $Organization is the org."""
    cache: dict[tuple[str, str], Row | None] = {}

    def lookup(sobject: str, record_id: str) -> Row | None:
        key = (sobject, record_id)
        if key not in cache:
            cache[key] = store.get(sobject, record_id)
        return cache[key]

    def global_row(name: str) -> Row | None:
        user = lookup("User", user_id) if user_id else None
        if name == "$User":
            return user
        if name == "$Profile":
            return {"Id": None, "Name": user.get("ProfileName")} if user else None
        if name == "$Organization":
            return lookup("Organization", store.org.org_id) or {"Id": store.org.org_id,
                                                                "Name": store.org.name}
        record_type = record.get("RecordTypeId")
        return lookup("RecordType", record_type) if record_type else None

    return FormulaContext(record=record, prior=prior, lookup=lookup, global_row=global_row, now=now())
