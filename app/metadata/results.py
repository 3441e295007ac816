"""DeployResult and FileProperties as Salesforce fills them (metadata WSDL v66; salesforce-bulk-enterprise-
metadata.md §4.1), kept as plain JSON in metadata_requests until checkDeployStatus / checkRetrieveStatus."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sfmock.orgs.deploy import DeployMessage, DeployOutcome
from sfmock.orgs.retrieve import Item


def _message(m: DeployMessage, now: str) -> dict[str, Any]:
    # componentType is always present (empty for package.xml): SDR throws "Missing componentType in deploy
    # message" without it (§4.3).
    return {"changed": m.changed, "columnNumber": m.column, "componentType": m.component_type,
            "created": m.created, "createdDate": now, "deleted": m.deleted, "fileName": m.file_name,
            "fullName": m.full_name, "lineNumber": m.line, "problem": m.problem,
            "problemType": m.problem_type if m.problem else None, "success": m.success}


def deploy_result(request_id: str, outcome: DeployOutcome, options: dict[str, Any], user: dict[str, Any],
                  now: datetime) -> dict[str, Any]:
    """Counts as Salesforce gives them (DeployResult): numberComponentErrors the failing components,
    numberComponentsDeployed the ones written (none when the deploy rolled back), numberComponentsTotal the
    sound and the failing ones.
    A SucceededPartial deploy (rollbackOnError=false) says success=true: its status says it succeeded
    [UNCONFIRMED: the guide does not say which success value goes with SucceededPartial]."""
    at = now.isoformat()
    return {
        "checkOnly": bool(options.get("checkOnly")), "completedDate": at, "createdBy": user["Id"][:15],
        "createdByName": user.get("Name") or user.get("Username"), "createdDate": at,
        "details": {"componentFailures": [_message(m, at) for m in outcome.failures],
                    "componentSuccesses": [_message(m, at) for m in outcome.successes]},
        "done": True, "id": request_id, "ignoreWarnings": bool(options.get("ignoreWarnings")),
        "lastModifiedDate": at, "numberComponentErrors": len(outcome.failures),
        "numberComponentsDeployed": outcome.deployed,
        "numberComponentsTotal": outcome.sound + len(outcome.failures), "numberFiles": outcome.files,
        # sfmock has no Apex: whatever testLevel asks, no test runs (as a deploy with none to run).
        "numberTestErrors": 0, "numberTestsCompleted": 0, "numberTestsTotal": 0,
        "rollbackOnError": options.get("rollbackOnError") is True,
        "runTestsEnabled": False, "startDate": at, "status": outcome.status,
        "success": outcome.status != "Failed", "zipSize": outcome.size}


def file_properties(item: Item | None, user: dict[str, Any], now: str, *, top: str = "unpackaged/") \
        -> dict[str, Any]:
    """One component's FileProperties (None: the package.xml entry a retrieve lists)."""
    kind, full_name, file_name, record_id = (item.type, item.full_name, item.file_name, item.id) if item \
        else ("Package", "unpackaged/package.xml", "package.xml", "")
    return {"createdById": user["Id"], "createdByName": user.get("Name") or "", "createdDate": now,
            "fileName": f"{top}{file_name}" if item else f"{top}package.xml", "fullName": full_name,
            "id": record_id, "lastModifiedById": user["Id"], "lastModifiedByName": user.get("Name") or "",
            "lastModifiedDate": now, "manageableState": "unmanaged", "type": kind}
