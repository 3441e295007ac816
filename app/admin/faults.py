"""Fault and latency injection through the admin API: /_sfmock/orgs/{id}/faults (arm, list, disarm)."""
from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request

from sfmock.admin import models
from sfmock.admin.routes import _bad, _bounded_body, _db, _org
from sfmock.core import faults
from sfmock.persistence import faults as fault_rows

router = APIRouter(prefix="/_sfmock", tags=["faults"])


@router.post("/orgs/{org_id}/faults", status_code=201, response_model=models.FaultRule)
async def arm(request: Request, org_id: str) -> dict[str, Any]:
    """Arms a rule: {"kind": REQUEST_LIMIT_EXCEEDED | UNABLE_TO_LOCK_ROW | INVALID_SESSION_ID |
    SERVER_UNAVAILABLE | DROP_CONNECTION | DELAY, "door": "soap"|"rest", "operation": "create",
    "sobject": "Lead", "count": 1, "probability": 0.5, "delay_ms": 200} (all but kind optional)."""
    try:
        fields = faults.parse(json.loads(await _bounded_body(request) or b"null"))
    except (ValueError, RecursionError) as error:
        raise _bad(str(error) if isinstance(error, ValueError) and not isinstance(error, json.JSONDecodeError)
                   else "body must be a JSON object") from None
    with _db(request).session() as session:
        return fault_rows.add(session, _org(session, org_id), fields).as_dict()


@router.get("/orgs/{org_id}/faults", response_model=list[models.FaultRule])
def armed(request: Request, org_id: str) -> list[dict[str, Any]]:
    with _db(request).session() as session:
        return [r.as_dict() for r in fault_rows.list_rules(session, _org(session, org_id))]


@router.delete("/orgs/{org_id}/faults")
def disarm_all(request: Request, org_id: str) -> dict[str, int]:
    with _db(request).session() as session:
        return {"deleted": fault_rows.clear(session, _org(session, org_id))}


@router.delete("/orgs/{org_id}/faults/{rule_id}")
def disarm(request: Request, org_id: str, rule_id: int) -> dict[str, int]:
    with _db(request).session() as session:
        return {"deleted": fault_rows.clear(session, _org(session, org_id), rule_id)}
