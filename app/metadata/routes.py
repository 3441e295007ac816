"""The Metadata API's routes: POST /services/Soap/m/{version}[/...] (jsforce and the sf CLI post to the bare
version, a login's metadataServerUrl adds the org id, simple-salesforce adds `/deployRequest[/{id}]`:
§4.1). The Body's first element names the operation; spyne's process_request runs it in the thread pool,
as the Partner door does (app/soap/routes.py)."""
from __future__ import annotations

import logging

import spyne.const
from fastapi import APIRouter, FastAPI
from spyne import MethodContext
from spyne.server._base import ServerBase
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from sfmock.core.errors import SalesforceError
from sfmock.logs import note_call
from sfmock.metadata import wire
from sfmock.metadata.service import application
from sfmock.metadata.types import MNS
from sfmock.soap import body, envelope
from sfmock.soap import headers as header_reader
from sfmock.soap.context import SoapContext
from sfmock.soap.faults import SoapFault, api_fault, client_fault
from sfmock.soap.routes import BAD_VERSION, CONTENT_TYPE, base_url

log = logging.getLogger("sfmock.metadata")
PATHS = ("/services/Soap/m/{version}", "/services/Soap/m/{version}/{rest:path}")
spyne.const.MIN_GC_INTERVAL = float("inf")  # as app/soap/dispatch.py: no gc.collect() per call


class _Transport(ServerBase):
    transport = "sfmock://in-process"


_transport = _Transport(application)
_methods = {key.partition("}")[2]: found[0]
            for key, found in application.interface.service_method_map.items()}


def call(message: envelope.Envelope, context: SoapContext) -> bytes:
    descriptor = _methods.get(message.operation)
    if descriptor is None:
        raise client_fault(f"No operation available for request {{{message.namespace or MNS}}}"
                           f"{message.operation}, please check the WSDL for the service.")
    context.headers = header_reader.read(message.headers, descriptor.in_header or ())
    context.operation = message.operation
    grouped: dict[str, list] = {}
    for child in envelope.children(message.body):
        grouped.setdefault(envelope.local(child), []).append(child)
    ctx = MethodContext(_transport, MethodContext.SERVER)
    ctx.descriptor = descriptor
    ctx.method_request_string = f"{{{MNS}}}{message.operation}"
    ctx.udc = context
    ctx.in_header = context.headers
    ctx.in_object = [wire.read_argument(grouped.get(name, []), cls)
                     for name, cls in descriptor.in_message._type_info.items()]
    try:
        application.process_request(ctx)
    finally:
        ctx.close()
    if context.error is not None:
        raise context.error
    if ctx.out_error is not None:
        raise RuntimeError(f"spyne could not run {message.operation}: {ctx.out_error}")
    return wire.response(descriptor.out_message, ctx.out_object[0] if ctx.out_object else None)


def _fault(fault: SoapFault) -> Response:
    return Response(wire.render_fault(fault), status_code=500, media_type=CONTENT_TYPE)


async def endpoint(request: Request) -> Response:
    state = request.app.state
    settings = state.settings
    version = request.path_params["version"]
    if request.method != "POST":
        refused = client_fault(f"HTTP method {request.method} is not supported: the Metadata API takes POST")
        return Response(wire.render_fault(refused), status_code=405, media_type=CONTENT_TYPE,
                        headers={"Allow": "POST"})
    if not settings.supports_version(version):
        return _fault(api_fault("UNSUPPORTED_API_VERSION", BAD_VERSION))
    context = SoapContext(settings, getattr(state, "db", None), version, base_url(request, settings),
                          request.client.host if request.client else None)
    try:
        message = envelope.parse(await body.read(request, settings.max_body_bytes))
        note_call(operation=message.operation)
        payload = await run_in_threadpool(call, message, context)
    except SoapFault as fault:
        return _fault(fault)
    except SalesforceError as error:
        log.info("Metadata fault sf:%s", error.code)
        return _fault(api_fault(error.code, error.message))
    except Exception:  # unknown errors become UNKNOWN_EXCEPTION, never a bare 500
        log.exception("UNKNOWN_EXCEPTION in a Metadata API call")
        return _fault(api_fault("UNKNOWN_EXCEPTION", "An unexpected error occurred."))
    return Response(payload, media_type=CONTENT_TYPE)


def mount(app: FastAPI) -> None:
    router = APIRouter()
    for path in PATHS:
        router.add_api_route(path, endpoint, methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                             include_in_schema=False)
    app.include_router(router)
