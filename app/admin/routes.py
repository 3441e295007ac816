"""Routes of the /_sfmock test-control API (on by default; SFMOCK_ADMIN_API=false turns it off)."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from app.admin.outbox import clear_mail, list_mail
from app.core import ids
from app.core.values import parse_datetime
from app.orgs.demo_org import reset as reset_orgs
from app.persistence.db import Database

router = APIRouter(prefix="/_sfmock", tags=["admin"])


def _db(request: Request) -> Database:
    return request.app.state.db


def _bad(message: str) -> HTTPException:
    return HTTPException(status_code=400, detail={"error": "bad_request", "message": message})


def _id(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    found = ids.canonical(value)
    if found is None:
        raise _bad(f"{name} is not a Salesforce id: {value!r}")
    return found


def _since(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_datetime(value).astimezone(UTC).replace(tzinfo=None)
    except ValueError:
        raise _bad(f"since is not an ISO 8601 date-time: {value!r}") from None


@router.post("/reset")
def reset(request: Request, empty: bool = Query(False)) -> dict[str, Any]:
    """Every org is removed; the demo org is loaded again unless ?empty=true."""
    with _db(request).session() as session:
        installed = reset_orgs(session, empty=empty)
    return {"orgs": [] if installed is None else [{"id": installed.org_id, "name": installed.name}]}


@router.get("/outbox")
def outbox(request: Request, to: str | None = None, recordId: str | None = None,  # noqa: N803 - wire name
           template: str | None = None, since: str | None = None, orgId: str | None = None) -> JSONResponse:  # noqa: N803
    with _db(request).session() as session:
        rows = list_mail(session, org_id=_id(orgId, "orgId"), to=to, record_id=_id(recordId, "recordId"),
                         template=template, since=_since(since))
    return JSONResponse(rows)


@router.delete("/outbox")
def clear_outbox(request: Request, orgId: str | None = None) -> dict[str, int]:  # noqa: N803
    with _db(request).session() as session:
        return {"deleted": clear_mail(session, org_id=_id(orgId, "orgId"))}
