"""Routes of the /_sfmock test-control API (on by default; SFMOCK_ADMIN_API=false turns it off)."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, overload

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from sfmock.admin import models
from sfmock.admin.models import only_filters
from sfmock.core import ids
from sfmock.core.values import parse_datetime, storable
from sfmock.orgs.demo_org import reset as reset_orgs
from sfmock.persistence.db import Database
from sfmock.persistence.outbox import clear_mail, list_mail
from sfmock.request_body import BodyError, read_body


def _bad(message: str) -> HTTPException:
    return HTTPException(status_code=400, detail={"error": "bad_request", "message": message})


def _storable_text(request: Request) -> None:
    """Filters and path values holding NUL or a lone surrogate can match nothing stored: 400, before any query
    (PostgreSQL refuses such a parameter outright)."""
    for name, value in [*request.query_params.multi_items(), *request.path_params.items()]:
        if not storable(value):
            raise _bad(f"{name} holds a character no stored text can hold")


router = APIRouter(prefix="/_sfmock", tags=["admin"], dependencies=[Depends(_storable_text)])


def _db(request: Request) -> Database:
    return request.app.state.db


@overload
def _id(value: str, name: str) -> str: ...
@overload
def _id(value: None, name: str) -> None: ...
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


# Outbox filters are named like the row fields they filter. `to`, `recordId` and `orgId` are the names of
# earlier releases, still accepted (README, "Test-control API").
MAIL_FILTERS = ("recipient", "record_id", "template", "since", "to", "recordId")


def _mail_filters(request: Request, *extra: str) -> dict[str, Any]:
    only_filters(request, *MAIL_FILTERS, *extra)
    q = request.query_params
    return {"to": q.get("recipient") or q.get("to"),
            "record_id": _id(q.get("record_id") or q.get("recordId"),
                             "record_id" if "record_id" in q else "recordId"),
            "template": q.get("template"), "since": _since(q.get("since"))}


def _org_filter(request: Request) -> str | None:
    q = request.query_params
    return _id(q.get("org_id") or q.get("orgId"), "org_id" if "org_id" in q else "orgId")


@router.get("/outbox", response_model=list[models.Mail])
def outbox(request: Request) -> JSONResponse:
    """Every org's mail, oldest first; filters: recipient, record_id, template, since (ISO 8601), org_id."""
    filters = _mail_filters(request, "org_id", "orgId")
    with _db(request).session() as session:
        rows = list_mail(session, org_id=_org_filter(request), **filters)
    return JSONResponse(rows)


@router.delete("/outbox", response_model=models.Deleted)
def clear_outbox(request: Request) -> dict[str, int]:
    only_filters(request, "org_id", "orgId")
    with _db(request).session() as session:
        return {"deleted": clear_mail(session, org_id=_org_filter(request))}


# --- orgs: the unit of isolation ---------------------------------------------------------------------------
from sfmock.admin import orgs as org_views  # noqa: E402
from sfmock.orgs.bundle import OrgDefinitionError  # noqa: E402
from sfmock.orgs.install import install  # noqa: E402
from sfmock.orgs.metadata import load_org_folder, load_org_zip  # noqa: E402
from sfmock.persistence import journal as journal_rows  # noqa: E402
from sfmock.persistence.orgs import clear_data, delete_org, existing_org, list_orgs, open_org  # noqa: E402

# The newest version on which SOAP login() still works (retired from 65.0 on).
DEFAULT_VERSION = "64.0"


def _base_url(request: Request) -> str:
    configured = request.app.state.settings.public_url
    return (configured or str(request.base_url)).rstrip("/")


def _org(session, org_id: str) -> str:  # noqa: ANN001
    found = _id(org_id, "org id")
    if open_org(session, found) is None:
        raise HTTPException(status_code=404, detail={"error": "not_found", "message": f"no org {org_id}"})
    return found


async def _bounded_body(request: Request) -> bytes:
    """The body, read at most up to the size limit whatever the client declares (chunked uploads too)."""
    limit = request.app.state.settings.max_body_bytes
    try:
        return await read_body(request, limit)
    except BodyError as error:
        if error.kind == "too_large":
            raise HTTPException(status_code=413, detail={"error": "too_large",
                                                         "message": f"body over {limit} bytes"}) from None
        raise _bad(f"the body could not be decoded ({error.kind.replace('_', ' ')})") from None


async def _bundle(request: Request):  # noqa: ANN202
    content_type = request.headers.get("content-type", "")
    body = await _bounded_body(request)
    if content_type.startswith("multipart/"):

        async def replay() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        form = await Request(request.scope, replay).form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            await form.close()
            raise _bad("multipart upload needs a 'file' part holding the metadata zip")
        try:
            data = await upload.read()
        finally:
            await form.close()
        return load_org_zip(data)
    if content_type.startswith(("application/zip", "application/octet-stream")):
        return load_org_zip(body)
    if body:
        import json

        try:
            source = json.loads(body).get("source", "demo")
        except (ValueError, AttributeError, RecursionError):
            raise _bad("body must be JSON like {\"source\": \"demo\"} or a metadata zip") from None
        if source != "demo":
            raise _bad(f"unknown source {source!r}: use \"demo\" or upload a metadata zip")
    from sfmock.orgs.demo import DEMO_ORG_PATH

    return load_org_folder(DEMO_ORG_PATH)


@router.post("/orgs", status_code=201, response_model=models.OrgDescription)
async def create_org(request: Request) -> dict[str, Any]:
    """A new org from the demo (no body, or {"source": "demo"}) or from an uploaded metadata zip."""
    try:
        bundle = await _bundle(request)
    except OrgDefinitionError as error:
        raise HTTPException(status_code=422, detail={"error": "invalid_org", "message": str(error)}) from None
    with _db(request).session() as session:
        org = install(session, bundle, unique_logins=True)
    return org_views.describe_org(org, bundle, _base_url(request), DEFAULT_VERSION)


@router.get("/orgs", response_model=list[models.OrgSummary])
def orgs_list(request: Request) -> list[dict[str, Any]]:
    only_filters(request)
    with _db(request).session() as session:
        return [{"id": o["id"], "name": o["name"], "created_at": o["created_at"].isoformat() + "Z"}
                for o in list_orgs(session)]


@router.delete("/orgs/{org_id}")
def org_delete(request: Request, org_id: str) -> dict[str, bool]:
    with _db(request).session() as session:
        return {"deleted": delete_org(session, _org(session, org_id))}


@router.post("/orgs/{org_id}/reset")
def org_reset(request: Request, org_id: str) -> dict[str, str]:
    """Clears this org's Leads, Cases, outbox and journal; its users, queues and rules stay; other orgs
    untouched."""
    with _db(request).session() as session:
        clear_data(session, _org(session, org_id))
    return {"reset": org_id}


@router.get("/orgs/{org_id}/outbox", response_model=list[models.Mail])
def org_outbox(request: Request, org_id: str) -> JSONResponse:
    """The org's mail, oldest first; filters: recipient, record_id, template, since (ISO 8601)."""
    filters = _mail_filters(request)
    with _db(request).session() as session:
        return JSONResponse(list_mail(session, org_id=_org(session, org_id), **filters))


@router.delete("/orgs/{org_id}/outbox")
def org_outbox_clear(request: Request, org_id: str) -> dict[str, int]:
    with _db(request).session() as session:
        return {"deleted": clear_mail(session, org_id=_org(session, org_id))}


@router.get("/orgs/{org_id}/journal", response_model=list[models.JournalEntry])
def org_journal(request: Request, org_id: str, door: str | None = None, operation: str | None = None,
                sobject: str | None = None, since: str | None = None,
                record_id: str | None = None) -> JSONResponse:
    """The org's API calls, oldest first; filters: door, operation, sobject, since (ISO 8601), record_id."""
    only_filters(request, "door", "operation", "sobject", "since", "record_id")
    with _db(request).session() as session:
        return JSONResponse(journal_rows.list_entries(session, _org(session, org_id), door=door,
                                                      operation=operation,
                                                      sobject=sobject, since=_since(since),
                                                      record_id=_id(record_id, "record_id")))


@router.delete("/orgs/{org_id}/journal")
def org_journal_clear(request: Request, org_id: str) -> dict[str, int]:
    with _db(request).session() as session:
        return {"deleted": journal_rows.clear(session, _org(session, org_id))}


@router.get("/orgs/{org_id}/{what}")
def org_config(request: Request, org_id: str, what: str) -> JSONResponse:
    """Read access to the org's rules, queues and users as JSON."""
    views = {"rules": org_views.rules, "queues": org_views.queues, "users": org_views.users}
    if what not in views:
        raise HTTPException(status_code=404,
                            detail={"error": "not_found", "message": f"no such view: {what}"})
    with _db(request).session() as session:
        return JSONResponse(views[what](session, _org(session, org_id)))


@router.post("/orgs/{org_id}/rules/{rule_id}/{action}")
def org_rule_activation(request: Request, org_id: str, rule_id: str, action: str) -> dict[str, Any]:
    """Activate (deactivating the object's other rule) or deactivate an assignment rule."""
    from sfmock.core.errors import SalesforceError
    from sfmock.core.rules.activation import activate_rule, deactivate_rule

    if action not in ("activate", "deactivate"):
        raise HTTPException(status_code=404,
                            detail={"error": "not_found", "message": f"no such action: {action}"})
    with _db(request).session() as session:
        store = existing_org(session, _org(session, org_id))
        try:
            (activate_rule if action == "activate" else deactivate_rule)(store, _id(rule_id, "rule id"))
        except SalesforceError as error:
            raise HTTPException(status_code=404,
                                detail={"error": error.code, "message": error.message}) from None
        return {"rules": org_views.rules(session, store.org.org_id)}
