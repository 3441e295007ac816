"""Replication: the ids of records changed or deleted in a time window (SOAP getUpdated / getDeleted, REST
…/sobjects/{Type}/updated/ and /deleted/), with Salesforce's window rules.

Sources: SOAP API "getUpdated()" / "getDeleted()", REST API "Get Updated Records" / "Get Deleted Records":
- seconds are ignored: both ends are truncated to the minute;
- the end must come more than one minute after the start (INVALID_REPLICATION_DATE);
- updated records are searched by SystemModstamp, at most 30 days back; deleted ones as long as the recycle
  bin keeps them (15 days), which `earliestDateAvailable` reports;
- an end in the future is cut to now: `latestDateCovered` is the last minute the answer covers;
- more than 600,000 ids is EXCEEDED_ID_LIMIT;
- the object must be replicateable.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sfmock.core.errors import CallError
from sfmock.core.ports import Store
from sfmock.core.schema import SObjectDef

MAX_IDS = 600_000
UPDATED_DAYS = 30
RECYCLE_BIN_DAYS = 15
# Objects whose describe says replicateable=true among those sfmock serves (the configuration objects are
# not).
REPLICATEABLE = frozenset({"Lead", "Case", "User", "Account", "Contact", "Opportunity"})
# 2024-01-01T00:00:00Z, …+00:00, …+0000, fractions allowed (SOAP's xsd:dateTime and REST's ISO 8601);
# simple-salesforce sends a naive datetime as "2024-01-01T00:00:00:" (its date_to_iso8601 adds the colon of an
# empty offset), read here as UTC.
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2}|:)?$")


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime  # latestDateCovered


def parse_date(raw: str | None, name: str) -> datetime:
    if not raw or not raw.strip():
        raise CallError("MISSING_ARGUMENT", f"{name} is required")  # [UNCONFIRMED] text
    text = raw.strip().replace(" ", "+")  # a '+' that arrived unencoded in a URL reads as a space
    found = _DATE.match(text)
    if not found:
        # [UNCONFIRMED] text; the code is the one Salesforce uses for every bad replication date.
        raise CallError("INVALID_REPLICATION_DATE", f"{name}: '{raw}' is not a valid ISO 8601 date")
    zone = found.group(2) or "Z"
    zone = "+00:00" if zone in ("Z", ":") else zone
    return datetime.fromisoformat(found.group(1) + zone).astimezone(UTC)


def _minute(value: datetime) -> datetime:
    value = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    return value.replace(second=0, microsecond=0)


def window(sobject: SObjectDef, start: datetime, end: datetime, now: datetime, *, deleted: bool) -> Window:
    if sobject.name not in REPLICATEABLE:
        # [UNCONFIRMED] text; the code is the one Salesforce gives an operation the object does not allow.
        raise CallError("INVALID_TYPE_FOR_OPERATION",
                        f"entity type {sobject.name} does not support replication")
    start, end, now = _minute(start), _minute(end), _minute(now)
    if end - start < timedelta(minutes=1):
        # Wording as clients have seen it (restforce #667).
        raise CallError("INVALID_REPLICATION_DATE",
                        "startDate must be at least one minute greater than endDate")
    oldest = now - timedelta(days=RECYCLE_BIN_DAYS if deleted else UPDATED_DAYS)
    if start < oldest:
        # [UNCONFIRMED] text; the code and the limits are the guide's.
        raise CallError("INVALID_REPLICATION_DATE", f"startDate cannot be more than "
                        f"{RECYCLE_BIN_DAYS if deleted else UPDATED_DAYS} days ago")
    if start >= now:
        raise CallError("INVALID_REPLICATION_DATE", "startDate cannot be in the future")  # [UNCONFIRMED] text
    return Window(start, min(end, now))


def updated(store: Store, sobject: SObjectDef, span: Window) -> list[str]:
    """Ids of live records whose SystemModstamp falls in [start, end)."""
    found = store.changed_between(sobject.name, span.start, span.end, deleted=False)
    _limit(len(found))
    return [record_id for record_id, _ in found]


def deleted(store: Store, sobject: SObjectDef, span: Window) -> list[tuple[str, datetime]]:
    """(id, deletedDate) of records deleted in [start, end)."""
    found = store.changed_between(sobject.name, span.start, span.end, deleted=True)
    _limit(len(found))
    return found


def earliest_available(now: datetime) -> datetime:
    return _minute(now) - timedelta(days=RECYCLE_BIN_DAYS)


def _limit(count: int) -> None:
    if count > MAX_IDS:
        raise CallError("EXCEEDED_ID_LIMIT", f"Too many ids: more than {MAX_IDS} records in the window")
