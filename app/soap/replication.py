"""SOAP getUpdated() / getDeleted(): the window rules and the search live in sfmock.core.replication."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sfmock.core import replication
from sfmock.soap import describe as describing
from sfmock.soap.context import SoapContext


def _window(call: Any, sobject: str | None, start: str | None, end: str | None, *,
            deleted: bool) -> tuple[Any, Any, Any]:
    obj = describing.find(sobject, call.store.schema)
    now = datetime.now(UTC)
    span = replication.window(obj, replication.parse_date(start, "startDate"),
                              replication.parse_date(end, "endDate"), now, deleted=deleted)
    return obj, span, now


def get_updated(ctx: SoapContext, sobject: str | None, start: str | None, end: str | None) -> dict[str, Any]:
    with ctx.call() as call:
        obj, span, _ = _window(call, sobject, start, end, deleted=False)
        ctx.note(call, obj.name)
        return {"ids": replication.updated(call.store, obj, span), "latestDateCovered": span.end}


def get_deleted(ctx: SoapContext, sobject: str | None, start: str | None, end: str | None) -> dict[str, Any]:
    with ctx.call() as call:
        obj, span, now = _window(call, sobject, start, end, deleted=True)
        ctx.note(call, obj.name)
        found = replication.deleted(call.store, obj, span)
        return {"deletedRecords": [{"deletedDate": at, "id": record_id} for record_id, at in found],
                "earliestDateAvailable": replication.earliest_available(now), "latestDateCovered": span.end}
