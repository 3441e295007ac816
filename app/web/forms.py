"""`POST /servlet/servlet.WebToLead?encoding=UTF-8` and `/servlet/servlet.WebToCase?encoding=UTF-8`, as
Salesforce's generated HTML forms post them (salesforce-rules-mail-web.md §1-2): urlencoded, no session, the
org named by `oid` (Web-to-Lead) or `orgid` (Web-to-Case), `retURL` where the browser goes next.

The answer never says whether anything was created (integrators see 200 and the redirect even when nothing
was, Gravity Forms #294): 200 with a meta refresh to retURL (the Pardot sample's shape; whether the servlet
answers 200 or 302 is UNCONFIRMED). A form for an unknown org creates nothing and answers the same way
(UNCONFIRMED). `debug=1` shows the submitted values instead of redirecting (its content is UNCONFIRMED); with
`debugEmail` the core also mails what became of the post to that address. A post refused for want of a
reCAPTCHA token answers like any other: the browser is told nothing.
"""
from __future__ import annotations

import codecs
import html
from datetime import UTC, datetime
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from sfmock.core import ids
from sfmock.core.records import RecordService
from sfmock.core.web_forms import receive
from sfmock.persistence.db import Database
from sfmock.persistence.orgs import open_org

router = APIRouter(include_in_schema=False)


def _charset(request: Request) -> str:
    # `encoding=` names the charset of the posted bytes (a 2009 blog shows EUC-JP working).
    name = request.query_params.get("encoding") or "UTF-8"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "utf-8"


def _page(return_url: str | None) -> HTMLResponse:
    if not return_url:
        return HTMLResponse("<html><head></head><body></body></html>")
    target = html.escape(return_url, quote=True)
    return HTMLResponse(f'<html><head><meta http-equiv="Refresh" content="0; URL={target}"></head>'
                        f"<body></body></html>")


def _debug_page(form: list[tuple[str, str]], return_url: str | None) -> HTMLResponse:
    rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>" for k, v in form)
    more = (
        f'<p><a href="{html.escape(return_url, quote=True)}">{html.escape(return_url)}</a></p>'
        if return_url
        else ""
    )
    return HTMLResponse(f"<html><body><p>Salesforce.com Debug "
                        f"Mode</p><table>{rows}</table>{more}</body></html>")


def _submit(db: Database, org_id: str, sobject: str, form: list[tuple[str, str]], base: str) -> None:
    """One unit of work: the org's store, the form received as its creator; an unknown org creates nothing."""
    with db.session() as sql:
        store = open_org(sql, org_id)
        if store is None:
            return
        # Web leads are created by the Default Lead Creator, web cases by the Automated Case User.
        creator = store.org.web_to_lead_creator_id if sobject == "Lead" else store.org.automated_case_user_id
        service = RecordService(store, user_id=creator or "", api="web", link_base=base.rstrip("/"))
        receive(service, sobject, form, datetime.now(UTC))


async def _post(request: Request, sobject: str, org_key: str) -> HTMLResponse:
    raw = await request.body()
    form = parse_qsl(raw.decode("latin-1"), keep_blank_values=True, encoding=_charset(request),
                     errors="replace")
    first = {key: value for key, value in reversed(form)}
    org_id = ids.canonical((first.get(org_key) or first.get("oid") or first.get("orgid") or "").strip())
    if org_id is not None and org_id.startswith("00D"):
        # Database work off the event loop, as the other doors do.
        await run_in_threadpool(_submit, request.app.state.db, org_id, sobject, form, str(request.base_url))
    if first.get("debug") == "1":
        return _debug_page(form, first.get("retURL"))
    return _page(first.get("retURL"))


@router.post("/servlet/servlet.WebToLead")
async def web_to_lead(request: Request) -> HTMLResponse:
    return await _post(request, "Lead", "oid")


@router.post("/servlet/servlet.WebToCase")
async def web_to_case(request: Request) -> HTMLResponse:
    return await _post(request, "Case", "orgid")
