"""`POST /_sfmock/orgs/{org_id}/email-to-case`: a raw RFC 822 message (message/rfc822 or any body) delivered
to the org's Email-to-Case, answering what became of it."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from sfmock.inbound.mailbox import deliver, parse

router = APIRouter(prefix="/_sfmock", tags=["email-to-case"])


@router.post("/orgs/{org_id}/email-to-case")
async def email_to_case(request: Request, org_id: str) -> JSONResponse:
    raw = await request.body()
    if not raw.strip():
        return JSONResponse({"error": "the body must be an RFC 822 message"}, status_code=400)
    mail = parse(raw)
    outcome = await run_in_threadpool(deliver, request.app.state.db, org_id, mail,
                                      link_base=str(request.base_url).rstrip("/"))
    if not outcome["routed"]:
        return JSONResponse({"error": "no Email-to-Case routing address of this org is among the recipients",
                             **outcome}, status_code=422)
    return JSONResponse(outcome, status_code=201 if outcome["caseId"] and not outcome["threaded"] else 200)
