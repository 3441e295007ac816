"""What the record service returns per record: the shape of SaveResult / UpsertResult / DeleteResult."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sfmock.core.errors import SalesforceError


@dataclass
class RecordInput:
    """One record as a door read it: its type, field values (raw: text from SOAP, JSON values from REST)
    and the fields to set to null. `id` is the record's Id on update."""

    sobject: str | None
    values: dict[str, Any] = field(default_factory=dict)
    fields_to_null: tuple[str, ...] = ()
    id: str | None = None


@dataclass
class SaveResult:
    id: str | None
    success: bool
    errors: list[SalesforceError] = field(default_factory=list)
    # Upsert only: True when the record was created, False when updated.
    created: bool | None = None
    # What the assignment rule decided (sfmock.core.assignment.Routing), or None when no rule ran: never on
    # the wire, kept for the journal.
    routing: Any = field(default=None, repr=False, compare=False)

    @classmethod
    def ok(cls, record_id: str, created: bool | None = None, routing: Any = None) -> SaveResult:
        return cls(record_id, True, [], created, routing)

    @classmethod
    def failed(cls, error: SalesforceError, record_id: str | None = None) -> SaveResult:
        return cls(record_id, False, [error])
