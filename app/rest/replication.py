"""Replication over REST: GET …/sobjects/{Type}/updated/?start=&end= and …/deleted/?start=&end= (REST API
"Get Updated Records" / "Get Deleted Records", v29.0+); the window rules live in sfmock.core.replication."""
from __future__ import annotations

from datetime import UTC, datetime

from starlette.responses import Response

from sfmock.core import replication
from sfmock.core.schema import SObjectDef
from sfmock.rest.context import RestContext
from sfmock.rest.describe import find
from sfmock.rest.errors import not_found
from sfmock.rest.responses import format_datetime, json_response

SINCE_VERSION = 29.0


def _window(ctx: RestContext, sobject: str, *,
            deleted: bool) -> tuple[SObjectDef, replication.Window, datetime]:
    if float(ctx.version) < SINCE_VERSION:
        raise not_found()
    obj = find(sobject)
    start = replication.parse_date(ctx.params.get("start"), "start")
    end = replication.parse_date(ctx.params.get("end"), "end")
    now = datetime.now(UTC)
    return obj, replication.window(obj, start, end, now, deleted=deleted), now


def get_updated(ctx: RestContext, sobject: str) -> Response:
    """{"ids": [...], "latestDateCovered": "2013-05-08T21:20:00.000+0000"}"""
    obj, span, _ = _window(ctx, sobject, deleted=False)
    with ctx.call("getUpdated", obj.name) as call:
        found = replication.updated(call.store, obj, span)
    return json_response({"ids": found, "latestDateCovered": format_datetime(span.end)})


def get_deleted(ctx: RestContext, sobject: str) -> Response:
    """{"deletedRecords": [{"id", "deletedDate"}], "earliestDateAvailable", "latestDateCovered"}"""
    obj, span, now = _window(ctx, sobject, deleted=True)
    with ctx.call("getDeleted", obj.name) as call:
        found = replication.deleted(call.store, obj, span)
    return json_response({
        "deletedRecords": [{"id": record_id, "deletedDate": format_datetime(at)} for record_id, at in found],
        "earliestDateAvailable": format_datetime(replication.earliest_available(now)),
        "latestDateCovered": format_datetime(span.end),
    })
