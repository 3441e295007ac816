"""WSDL downloads: `GET /soap/wsdl.jsp` (Setup's "Generate WSDL": the Partner WSDL, or with `?type=*` the
org's Enterprise WSDL, for the session in the `sid` cookie) and `GET /services/Soap/{u|c}/{version}?wsdl`.

Salesforce serves wsdl.jsp as a Setup page, reached with the `sid` cookie (salesforce-bulk-enterprise-
metadata.md §1, "WSDL download"); a request without a live session is sent to the login page with the page as
its startURL, as every Setup page is [UNCONFIRMED: the exact Location; `/?ec=302&startURL=…` is what the UI's
pages send].
"""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from sfmock import calls
from sfmock.core.errors import CallError
from sfmock.core.schema import registry
from sfmock.soap import enterprise_wsdl, wsdl
from sfmock.soap.family import ENTERPRISE, PARTNER, Family

CONTENT_TYPE = "text/xml;charset=UTF-8"


def _session_schema(request: Request) -> tuple[Any, Any] | None:
    """(org, schema) of the `sid` cookie's session, or None without a live one."""
    token = request.cookies.get("sid")
    db = getattr(request.app.state, "db", None)
    if not token or db is None:
        return None
    try:
        return calls.session_schema(db, token)
    except CallError:
        return None


async def document(request: Request, family: Family, version: str, location: str,
                   session: tuple[Any, Any] | None = None) -> Response:
    """The family's WSDL with soap:address at `location`. The Enterprise one is the `sid` session's org's
    (`session`: already looked up); without a session, the standard objects'."""
    if family is PARTNER:
        return Response(wsdl.document(location), media_type=CONTENT_TYPE)
    found = session or await run_in_threadpool(_session_schema, request)
    org, schema = found if found else (None, registry)
    body = await run_in_threadpool(enterprise_wsdl.document, schema, location, version,
                                   org.name if org else None)
    return Response(body, media_type=CONTENT_TYPE)


async def wsdl_jsp(request: Request, base_url: str) -> Response:
    """`/soap/wsdl.jsp[?type=*]`: the newest version sfmock serves, as Setup generates for the current
    release."""
    session = await run_in_threadpool(_session_schema, request)
    if session is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/?ec=302&startURL={quote(target, safe='')}", status_code=302)
    family = ENTERPRISE if request.query_params.get("type") == "*" else PARTNER
    version = request.app.state.settings.api_versions()[-1]
    # Salesforce's generated WSDL points at the API, with no org id (salesforce-bulk-enterprise-metadata.md
    # §1).
    location = f"{base_url}/services/Soap/{family.path}/{version}"
    return await document(request, family, version, location, session)
