"""The Metadata API's REST deploy resource (Metadata API Developer Guide, "Deploy Metadata with Apex Testing
Using REST" and "Check the Status of Your Deployment Using REST Resources"):

- POST …/metadata/deployRequest, multipart/form-data: a JSON part `{"deployOptions": {…}}` (the guide names
  it `json`, jsforce and the sf CLI `entity_content`) and the zip part (`file`); parts are told apart by
  content type, then by name (salesforce-bulk-enterprise-metadata.md §4.3). 201 with the request's id,
  deployOptions and a Pending deployResult, as SOAP's first answer says Queued.
- GET …/metadata/deployRequest/{id}[?includeDetails=true]: `{"id", "url", "deployResult", "deployOptions"}`,
  the DeployResult fields under their WSDL names (details empty unless includeDetails=true).
- PATCH …/metadata/deployRequest/{id} `{"deployResult": {"status": "Canceling"}}`: cancel; every sfmock
  deploy has finished, so this is the finished deploy's refusal (app/metadata/deploy_requests.py).

The deploy itself is the SOAP door's: app/metadata/deploy_requests.start over app/orgs/deploy.py.
"""
from __future__ import annotations

from typing import Any

from starlette.responses import Response

from sfmock.core.errors import CallError
from sfmock.metadata import deploy_requests
from sfmock.rest import bodies
from sfmock.rest.context import RestContext
from sfmock.rest.responses import json_response

_BOOLEANS = ("allowMissingFiles", "autoUpdatePackage", "checkOnly", "ignoreWarnings", "performRetrieve",
             "purgeOnDelete", "rollbackOnError", "singlePackage")


def _parts(body: bytes, content_type: str) -> list[tuple[dict[str, str], bytes]]:
    """multipart/form-data split into (headers, content) pairs; contents are bytes as sent (the zip)."""
    boundary = next((p.split("=", 1)[1].strip().strip('"') for p in content_type.split(";")[1:]
                     if p.strip().lower().startswith("boundary=")), None)
    if not content_type.lower().startswith("multipart/") or not boundary:
        raise CallError("INVALID_MULTIPART_REQUEST",
                        "The deploy request must be multipart/form-data with a JSON part and a zip file part")
    out = []
    for chunk in body.split(b"--" + boundary.encode())[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, content = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        headers = {}
        for line in head.decode("latin-1").split("\r\n"):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        out.append((headers, content.removesuffix(b"\r\n")))
    return out


def _part_name(headers: dict[str, str]) -> str:
    for item in headers.get("content-disposition", "").split(";"):
        key, _, value = item.strip().partition("=")
        if key.lower() == "name":
            return value.strip('"')
    return ""


def _options(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise CallError("JSON_PARSER_ERROR", "The JSON part must be an object with deployOptions")
    found = raw.get("deployOptions") or {}
    if not isinstance(found, dict):
        raise CallError("JSON_PARSER_ERROR", "deployOptions must be an object")
    options = dict(found)
    for name in _BOOLEANS:  # the guide's own examples send "true" / "false" as text
        if isinstance(options.get(name), str):
            options[name] = options[name].lower() == "true"
    if isinstance(options.get("runTests"), str):
        options["runTests"] = [options["runTests"]]
    tests = options.get("runTests")
    if tests is not None and not (isinstance(tests, list) and all(isinstance(t, str) for t in tests)):
        raise CallError("JSON_PARSER_ERROR", "runTests must be an array of test class names")
    return options


def _request(ctx: RestContext) -> tuple[bytes, dict[str, Any]]:
    data, options = None, None
    for headers, content in _parts(ctx.body, ctx.headers.get("content-type", "")):
        kind = headers.get("content-type", "").lower()
        if "json" in kind or _part_name(headers) in ("json", "entity_content"):
            options = _options(bodies.parse_json(content))
        elif "zip" in kind or "octet-stream" in kind or _part_name(headers) == "file":
            data = content
    if options is None or data is None:
        raise CallError("INVALID_MULTIPART_REQUEST",
                        "The deploy request needs a JSON part with deployOptions and a zip file part")
    return data, options


def _url(ctx: RestContext, request_id: str, details: bool = False) -> str:
    suffix = "?includeDetails=true" if details else ""
    return f"{ctx.base_url()}{ctx.data_path}/metadata/deployRequest/{request_id}{suffix}"


def post_deploy_request(ctx: RestContext) -> Response:
    data, options = _request(ctx)
    try:
        deploy_requests.check_options(options)
    except deploy_requests.BadOption as error:
        # A value outside an enumeration of the JSON body [UNCONFIRMED: the REST wording].
        raise CallError("JSON_PARSER_ERROR", str(error)) from None
    with ctx.call("deploy") as call:
        request_id, result = deploy_requests.start(call, data, options)
    pending = {k: v for k, v in result.items() if k not in ("details", "deployOptions")} | {
        "done": False, "status": "Pending", "success": False, "numberComponentErrors": 0,
        "numberComponentsDeployed": 0, "completedDate": None}
    return json_response({"id": request_id, "validatedDeployRequestId": None, "url": _url(ctx, request_id),
                          "deployOptions": options, "deployResult": pending}, 201)


def get_deploy_request(ctx: RestContext, request_id: str) -> Response:
    details = (ctx.params.get("includeDetails") or "").lower() == "true"
    with ctx.call("checkDeployStatus") as call:
        result = deploy_requests.stored(call, request_id)
    options = result.pop("deployOptions", {})
    if not details:
        result["details"] = {"componentFailures": [], "componentSuccesses": []}
    return json_response({"id": request_id, "url": _url(ctx, request_id, details), "deployResult": result,
                          "deployOptions": options})


def patch_deploy_request(ctx: RestContext, request_id: str) -> Response:
    body = bodies.parse_json(ctx.body) if ctx.body else {}
    result = body.get("deployResult") if isinstance(body, dict) else None
    status = result.get("status") if isinstance(result, dict) else None
    if status != "Canceling":
        raise CallError("INVALID_INPUT", 'Send {"deployResult": {"status": "Canceling"}} to cancel a deploy')
    with ctx.call("cancelDeploy") as call:
        deploy_requests.cancel(call, request_id)
    return json_response({})  # not reached: every sfmock deploy has finished
