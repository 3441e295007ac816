"""Fault and latency injection: the rules a test arms on its org, and the error each one makes a call fail
with.

A rule matches calls by door, operation and sObject (None = any), for a fixed number of calls or with a
probability. Its kind says how the call fails; `delay_ms` adds latency before it (kind DELAY adds only that).
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from sfmock.core.errors import CallError, RecordError, SalesforceError
from sfmock.core.results import SaveResult

# SOAP fault text for a session that is no longer valid (Partner API; same text as sfmock.calls).
INVALID_SESSION = "Invalid Session ID found in SessionHeader: Illegal Session"
# Text from Salesforce's API limits doc ("TotalRequests Limit exceeded.").
LIMIT_EXCEEDED = "TotalRequests Limit exceeded."
# DML lock timeout text, as Salesforce reports it per record (StatusCode UNABLE_TO_LOCK_ROW; seen in API
# responses and Apex DmlExceptions: "unable to obtain exclusive access to this record").
LOCKED_ROW = "unable to obtain exclusive access to this record"
# REST API "Status Codes and Error Responses": 503 "The server is unavailable to handle the request.
# Typically this issue occurs if the server is down for maintenance or is currently overloaded."
# [UNCONFIRMED] the exact body: the errorcodes page gives only the status and this description.
UNAVAILABLE = ("The server is unavailable to handle the request. Typically this issue occurs if the server "
               "is down for maintenance or is currently overloaded.")

KINDS = ("REQUEST_LIMIT_EXCEEDED", "UNABLE_TO_LOCK_ROW", "INVALID_SESSION_ID", "SERVER_UNAVAILABLE",
         "DROP_CONNECTION", "DELAY")
DOORS = ("soap", "rest")
WRITES = frozenset({"create", "update", "upsert", "delete"})
MAX_DELAY_MS = 120_000


class ConnectionDrop(Exception):
    """The call is answered by closing the connection without a response (a network failure)."""


@dataclass(frozen=True)
class FaultRule:
    id: int
    kind: str
    door: str | None = None
    operation: str | None = None
    sobject: str | None = None
    remaining: int | None = None
    probability: float | None = None
    delay_ms: int = 0
    hits: int = 0

    def matches(self, door: str, operation: str, sobject: str | None, roll: float | None = None) -> bool:
        """Whether this rule takes a call (door "soap"/"rest", operation "create", sObject "Lead" or
        "Lead,Case"). Case-insensitive; an exhausted rule takes nothing; `roll` in [0, 1) for probability."""
        if self.remaining is not None and self.remaining <= 0:
            return False
        if self.door and self.door.lower() != door.lower():
            return False
        if self.operation and self.operation.lower() != (operation or "").lower():
            return False
        if self.sobject:
            named = {s.strip().lower() for s in (sobject or "").split(",") if s.strip()}
            if self.sobject.lower() not in named:
                return False
        if self.probability is not None:
            return (random.random() if roll is None else roll) < self.probability
        return True

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "door": self.door, "operation": self.operation,
                "sobject": self.sobject, "remaining": self.remaining, "probability": self.probability,
                "delay_ms": self.delay_ms, "hits": self.hits}


def parse(data: Any) -> dict[str, Any]:
    """A rule's fields from a plain mapping (admin API body, CLI options); ValueError names the bad one."""
    if not isinstance(data, dict):
        raise ValueError("a fault is a JSON object like {\"kind\": \"UNABLE_TO_LOCK_ROW\", \"count\": 1}")
    known = {"kind", "door", "operation", "sobject", "count", "probability", "delay_ms"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValueError(f"unknown fault field(s): {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    kind = str(data.get("kind") or "").upper()
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    door = data.get("door")
    if door is not None and str(door).lower() not in DOORS:
        raise ValueError("door must be soap or rest")
    count, probability, delay = data.get("count"), data.get("probability"), data.get("delay_ms", 0)
    if count is not None and (not isinstance(count, int) or isinstance(count, bool) or count < 1):
        raise ValueError("count must be a positive integer (omit it for every matching call)")
    if probability is not None and (isinstance(probability, bool) or not isinstance(probability, int | float)
                                    or not 0 < probability <= 1):
        raise ValueError("probability must be a number in (0, 1]")
    if not isinstance(delay, int) or isinstance(delay, bool) or not 0 <= delay <= MAX_DELAY_MS:
        raise ValueError(f"delay_ms must be an integer from 0 to {MAX_DELAY_MS}")
    if kind == "DELAY" and delay == 0:
        raise ValueError("a DELAY fault needs delay_ms > 0")
    return {"kind": kind, "door": str(door).lower() if door else None,
            "operation": data.get("operation") or None,
            "sobject": data.get("sobject") or None, "remaining": count,
            "probability": float(probability) if probability is not None else None, "delay_ms": delay}


def error_for(rule: FaultRule, operation: str) -> SalesforceError | None:
    """The error the call fails with (None: DELAY, only latency). UNABLE_TO_LOCK_ROW is a record failure on
    writes (each record's SaveResult / the REST error array with fields), a call failure elsewhere."""
    if rule.kind == "REQUEST_LIMIT_EXCEEDED":
        return CallError("REQUEST_LIMIT_EXCEEDED", LIMIT_EXCEEDED)
    if rule.kind == "INVALID_SESSION_ID":
        return CallError("INVALID_SESSION_ID", INVALID_SESSION)
    if rule.kind == "SERVER_UNAVAILABLE":
        return CallError("SERVER_UNAVAILABLE", UNAVAILABLE)
    if rule.kind == "UNABLE_TO_LOCK_ROW":
        return (RecordError if operation in WRITES else CallError)("UNABLE_TO_LOCK_ROW", LOCKED_ROW)
    return None


class LockedRows:
    """A record service whose writes fail every record with the injected error (UNABLE_TO_LOCK_ROW); reads
    and everything else go to the real service."""

    def __init__(self, service: Any, error: SalesforceError) -> None:
        self._service = service
        self._error = error

    def __getattr__(self, name: str) -> Any:
        return getattr(self._service, name)

    def _failed(self, records: Any) -> list[Any]:
        return [SaveResult.failed(self._error) for _ in records or ()]

    def create(self, records: Any, **_: Any) -> list[Any]:
        return self._failed(records)

    def update(self, records: Any, **_: Any) -> list[Any]:
        return self._failed(records)

    def upsert(self, _external_id_field: str, records: Any, **_: Any) -> list[Any]:
        return self._failed(records)

    def delete(self, record_ids: Any, **_: Any) -> list[Any]:
        return self._failed(record_ids)
