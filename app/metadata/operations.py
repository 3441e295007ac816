"""The Metadata API's operations: each authenticates the SessionHeader's session through the one call path
(sfmock.calls.api_call) and hands plain options to the orgs layer (app/orgs/deploy.py, retrieve.py).

Deploys and retrieves finish inside the call that starts them; the AsyncResult still says Queued and
done=false, as Salesforce's first answer does (§4.1), and checkDeployStatus / checkRetrieveStatus give the
stored result.
"""
from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sfmock import calls
from sfmock.metadata import deploy_requests
from sfmock.metadata.component_writes import delete_components, save_components
from sfmock.metadata.describe import METADATA_OBJECTS
from sfmock.metadata.results import file_properties
from sfmock.orgs.retrieve import Inventory, build_zip
from sfmock.persistence import metadata_requests as requests
from sfmock.soap.context import SoapContext
from sfmock.soap.faults import client_fault

# The operations that write (a request row, or the org's configuration): they take the write lock.
_WRITES = frozenset({"deploy", "cancelDeploy", "retrieve", "createMetadata", "updateMetadata",
                     "upsertMetadata",
                     "deleteMetadata"})


@contextmanager
def _call(ctx: SoapContext) -> Iterator[calls.ApiCall]:
    with calls.api_call(ctx.db, ctx.headers.session_id, api="soap", link_base=ctx.base_url,
                        request_limit=ctx.settings.api_request_limit, write=ctx.operation in _WRITES,
                        operation=ctx.operation) as call:
        ctx.usage = tuple(call.usage)  # type: ignore[assignment]
        call.journal.operation = ctx.operation
        yield call


def _now() -> datetime:
    return datetime.now(UTC)


def deploy(ctx: SoapContext, zip_file: str | None, options: dict[str, Any]) -> dict[str, Any]:
    try:
        data = base64.b64decode(zip_file or "", validate=False)
    except (binascii.Error, ValueError):
        data = b""
    try:
        deploy_requests.check_options(options)
    except deploy_requests.BadOption as error:
        raise client_fault(str(error)) from None
    with _call(ctx) as call:
        request_id, _ = deploy_requests.start(call, data, options)
    return {"done": False, "id": request_id, "state": "Queued"}


def check_deploy_status(ctx: SoapContext, request_id: str | None, include_details: bool | None) -> dict:
    with _call(ctx) as call:
        result = deploy_requests.stored(call, request_id)
    if not include_details:
        # Without includeDetails the details element is there, empty (DeployResult.details is required).
        result["details"] = {}
    return _dates(result)


def cancel_deploy(ctx: SoapContext, request_id: str | None) -> dict[str, Any]:
    with _call(ctx) as call:
        deploy_requests.cancel(call, request_id)
    return {"done": True, "id": request_id}  # not reached: every sfmock deploy has finished


def retrieve(ctx: SoapContext, request: dict[str, Any]) -> dict[str, Any]:
    package = request.get("unpackaged") or {}
    members: dict[str, list[str]] = {}
    for types in package.get("types") or ():
        members.setdefault(types.get("name") or "", []).extend(types.get("members") or ())
    version = str(request.get("apiVersion") or package.get("version") or ctx.version)
    with _call(ctx) as call:
        inventory = Inventory(call.store)
        data, items, problems = build_zip(inventory, members, version)
        request_id = call.store.new_ids("0Af")[0]
        now = _now().isoformat()
        props = [file_properties(i, call.user, now) for i in items]
        props.append(file_properties(None, call.user, now))
        result = {"done": True, "id": request_id, "status": "Succeeded", "success": True,
                  "fileProperties": props, "messages": [{"fileName": f, "problem": p} for f, p in problems],
                  "zipFile": base64.b64encode(data).decode()}
        requests.save(call.sql, call.org.org_id, request_id, "retrieve", result)
    return {"done": False, "id": request_id, "state": "Queued"}


def check_retrieve_status(ctx: SoapContext, request_id: str | None, include_zip: bool | None) -> dict:
    with _call(ctx) as call:
        result = deploy_requests.stored(call, request_id, "retrieve")
    if include_zip is False:  # jsforce omits includeZip: the zip comes unless it is refused (§4.1)
        result["zipFile"] = ""
    return _dates(result)


def check_status(ctx: SoapContext, request_ids: list[str]) -> list[dict[str, Any]]:
    with _call(ctx) as call:
        found = [(i, requests.find(call.sql, call.org.org_id, i, "deploy")
                  or requests.find(call.sql, call.org.org_id, i, "retrieve")) for i in request_ids]
    return [{"done": True, "id": i, "state": "Completed"} if r else
            {"done": True, "id": i, "state": "Error", "message": f"invalid AsyncRequest id: {i}",
             "statusCode": deploy_requests.BAD_ID} for i, r in found]


def list_metadata(ctx: SoapContext, queries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    with _call(ctx) as call:
        inventory = Inventory(call.store)
        now = _now().isoformat()
        out = []
        for query in queries or ():
            folder = query.get("folder")
            for item in inventory.items(query.get("type") or ""):
                if folder and item.type == "EmailTemplate" and not item.full_name.startswith(f"{folder}/"):
                    continue
                out.append(file_properties(item, call.user, now, top=""))
    return [_dates(p) for p in out]


def describe_metadata(ctx: SoapContext) -> dict[str, Any]:
    with _call(ctx):
        pass
    return {"metadataObjects": METADATA_OBJECTS, "organizationNamespace": "", "partialSaveAllowed": True,
            "testRequired": False}


def read_metadata(ctx: SoapContext, kind: str | None, full_names: list[str]) -> dict[str, Any]:
    with _call(ctx) as call:
        inventory = Inventory(call.store)
        found = [inventory.find(kind or "", name) for name in full_names or ()]
        # Names the org does not have are left out of the records, as Salesforce does.
        return {"records": [inventory.record(item) for item in found if item is not None]}


def save_metadata(ctx: SoapContext, records: list[Any], mode: str) -> list[dict[str, Any]]:
    with _call(ctx) as call:
        return save_components(call.store, records, mode, call.user["Id"])


def delete_metadata(ctx: SoapContext, kind: str | None, full_names: list[str]) -> list[dict[str, Any]]:
    with _call(ctx) as call:
        return delete_components(call.store, kind or "", full_names or [])


def _dates(result: dict[str, Any]) -> dict[str, Any]:
    """Stored results keep dates as ISO text; the writer wants datetimes."""
    for key, value in list(result.items()):
        if key.endswith("Date") and isinstance(value, str):
            result[key] = datetime.fromisoformat(value)
    for messages in (result.get("details") or {}).values():
        for message in messages or ():
            _dates(message)
    for props in result.get("fileProperties") or ():
        _dates(props)
    return result
