"""The web console at /_sfmock/console: server-side pages (Jinja2) over the same database as the admin API,
under the /_sfmock prefix so that whatever guards the admin API guards it too."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from sfmock.console import views
from sfmock.core import ids
from sfmock.orgs.demo_org import reset as reset_orgs
from sfmock.persistence import journal as journal_rows
from sfmock.persistence.orgs import clear_data, list_orgs, open_org
from sfmock.persistence.outbox import clear_mail, list_mail

router = APIRouter(prefix="/_sfmock/console", include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


def _page(request: Request, name: str, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context)


def _store(session: Any, org_id: str) -> Any:
    found = ids.canonical(org_id)
    store = open_org(session, found) if found else None
    if store is None:
        raise HTTPException(status_code=404, detail=f"no org {org_id}")
    return store


def _back(request: Request, path: str) -> RedirectResponse:
    # 303: the browser follows a POST button with a GET of the page.
    return RedirectResponse(str(request.url_for("console_home")).rstrip("/") + path, status_code=303)


@router.get("/", name="console_home")
def home(request: Request) -> HTMLResponse:
    with request.app.state.db.session() as session:
        return _page(request, "orgs.html", orgs=list_orgs(session))


@router.post("/reset")
def reset_all(request: Request) -> RedirectResponse:
    with request.app.state.db.session() as session:
        reset_orgs(session)
    return _back(request, "/")


@router.get("/orgs/{org_id}")
def org_records(request: Request, org_id: str, sobject: str = "Lead", q: str = "") -> HTMLResponse:
    if sobject not in views.BROWSABLE:
        raise HTTPException(status_code=400, detail=f"sobject must be one of {', '.join(views.BROWSABLE)}")
    with request.app.state.db.session() as session:
        store = _store(session, org_id)
        return _page(request, "records.html", org=store.org, sobject=sobject, q=q,
                     columns=views.LIST_COLUMNS[sobject],
                     rows=views.records(session, store.org.org_id, sobject, q),
                     owners=views.owner_names(session, store.org.org_id))


@router.get("/orgs/{org_id}/records/{record_id}")
def record(request: Request, org_id: str, record_id: str) -> HTMLResponse:
    with request.app.state.db.session() as session:
        store = _store(session, org_id)
        found = views.record(session, store, ids.canonical(record_id) or "")
        if found is None:
            raise HTTPException(status_code=404, detail=f"no Lead or Case {record_id}")
        return _page(request, "record.html", org=store.org,
                     owners=views.owner_names(session, store.org.org_id),
                     **found)


@router.get("/orgs/{org_id}/outbox")
def outbox(request: Request, org_id: str) -> HTMLResponse:
    with request.app.state.db.session() as session:
        store = _store(session, org_id)
        return _page(request, "outbox.html", org=store.org, mail=list_mail(session, org_id=store.org.org_id))


@router.get("/orgs/{org_id}/journal")
def journal(request: Request, org_id: str) -> HTMLResponse:
    with request.app.state.db.session() as session:
        store = _store(session, org_id)
        return _page(request, "journal.html", org=store.org,
                     entries=journal_rows.list_entries(session, store.org.org_id))


@router.get("/orgs/{org_id}/setup")
def setup(request: Request, org_id: str) -> HTMLResponse:
    from sfmock.admin import orgs as org_views

    with request.app.state.db.session() as session:
        store = _store(session, org_id)
        org = store.org.org_id
        return _page(request, "setup.html", org=store.org, rules=views.rule_entries(session, org),
                     queues=org_views.queues(session, org), users=org_views.users(session, org),
                     owners=views.owner_names(session, org))


@router.post("/orgs/{org_id}/{action}")
def org_action(request: Request, org_id: str, action: str) -> RedirectResponse:
    """The buttons: reset the org's data, clear its outbox, clear its journal."""
    with request.app.state.db.session() as session:
        org = _store(session, org_id).org.org_id
        if action == "reset":
            clear_data(session, org)
        elif action == "clear-outbox":
            clear_mail(session, org_id=org)
        elif action == "clear-journal":
            journal_rows.clear(session, org)
        else:
            raise HTTPException(status_code=404, detail=f"no such action: {action}")
    return _back(request, f"/orgs/{org}")
