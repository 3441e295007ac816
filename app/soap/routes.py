"""The SOAP door's routes: POST /services/Soap/u/{version}[/{orgId}] (Partner) and /services/Soap/c/{version}
[/{orgId}[/…]] (Enterprise) for every supported API version; GET …?wsdl and /soap/wsdl.jsp for the WSDLs
(app/soap/downloads.py). Everything that goes wrong becomes one Salesforce-shaped fault in the family's
namespace."""
from __future__ import annotations

import logging
import secrets
import zlib

from fastapi import APIRouter, FastAPI
from starlette.requests import Request
from starlette.responses import Response

from sfmock.call_lanes import run_call
from sfmock.core.errors import SalesforceError
from sfmock.core.faults import ConnectionDrop
from sfmock.drops import dropped
from sfmock.logs import note_call
from sfmock.soap import body, downloads, envelope, writer
from sfmock.soap.context import SoapContext
from sfmock.soap.dispatch import Dispatcher
from sfmock.soap.family import ENTERPRISE, FAMILIES, PARTNER, Family
from sfmock.soap.faults import SoapFault, api_fault, client_fault, from_error, render

log = logging.getLogger("sfmock.soap")
CONTENT_TYPE = "text/xml;charset=UTF-8"
# Newer orgs' serverUrl carries one more segment after the org id (…/Soap/c/60.0/00D5g…/0DFJ1000000Kykx), and
# Salesforce Inspector posts to /Soap/c/NN.0?cache=… (salesforce-bulk-enterprise-metadata.md §1).
PATHS = {PARTNER.name: ("/services/Soap/u/{version}", "/services/Soap/u/{version}/{org_id}"),
         ENTERPRISE.name: ("/services/Soap/c/{version}", "/services/Soap/c/{version}/{org_id}",
                           "/services/Soap/c/{version}/{org_id}/{extra}")}
# Salesforce's text for a version it does not serve (SOAP API End-of-Life Policy:
# "500:UNSUPPORTED_API_VERSION"; message as reported by clients, e.g. superfell/SoqlX#10,
# lwc-soql-builder#30).
BAD_VERSION = "Invalid Api version specified on URL"

_dispatchers: dict[str, Dispatcher] = {}


def dispatcher(family: Family = PARTNER) -> Dispatcher:
    if family.name not in _dispatchers:
        _dispatchers[family.name] = Dispatcher(family)
    return _dispatchers[family.name]


def base_url(request: Request, settings: object) -> str:
    """settings.public_url, else this request's scheme and Host: what serverUrl and the WSDL address use."""
    public = getattr(settings, "public_url", None)
    if public:
        return str(public).rstrip("/")
    host = request.headers.get("host") or f"{request.url.hostname}:{request.url.port}"
    return f"{request.url.scheme}://{host}"


def fault_response(fault: SoapFault, status: int = 500, headers: dict[str, str] | None = None,
                   family: Family = PARTNER) -> Response:
    """Faults travel with HTTP 500 (SOAP 1.1; seen in every Salesforce client fixture)."""
    return Response(render(fault, family.fns), status_code=status, media_type=CONTENT_TYPE, headers=headers)


def _unexpected(error: BaseException) -> SoapFault:
    # Salesforce: "An unexpected error occurred. Please include this ErrorId if you contact support: <id>
    # (<n>)"
    error_id = f"{secrets.randbelow(10**10)}-{secrets.randbelow(10**5)}"
    log.error("UNKNOWN_EXCEPTION %s in a SOAP call", error_id, exc_info=error)
    checksum = zlib.crc32(error_id.encode()) - 2**31
    return api_fault("UNKNOWN_EXCEPTION", "An unexpected error occurred. Please include this ErrorId if you "
                     f"contact support: {error_id} ({checksum})")


async def endpoint(request: Request, family: Family = PARTNER) -> Response:
    state = request.app.state
    settings = state.settings
    version = request.path_params["version"]
    if request.method == "GET" and "wsdl" in request.query_params:
        if not settings.supports_version(version):
            return fault_response(api_fault("UNSUPPORTED_API_VERSION", BAD_VERSION), family=family)
        location = base_url(request, settings) + request.url.path
        return await downloads.document(request, family, version, location)
    if request.method != "POST":
        refused = client_fault(f"HTTP method {request.method} is not supported: the SOAP API takes POST "
                               "(append ?wsdl to GET the WSDL)")
        return fault_response(refused, 405, {"Allow": "POST"}, family)
    if not settings.supports_version(version):
        return fault_response(api_fault("UNSUPPORTED_API_VERSION", BAD_VERSION), family=family)
    context = SoapContext(settings, getattr(state, "db", None), version, base_url(request, settings),
                          request.client.host if request.client else None, family=family)
    try:
        message = envelope.parse(await body.read(request, settings.max_body_bytes))
        note_call(operation=message.operation)
        # Parsing and the response stay on the event loop; spyne and the operation run there too when they
        # can without waiting, else in the thread pool, so a waiting call never freezes the server
        # (sfmock.call_lanes). Not login (its password hash takes a while, and releases the GIL in a thread)
        # nor logout (it commits twice: the second would have to wait on the loop).
        outcome = await run_call(context.db, message.operation not in _IN_THE_POOL, dispatcher(family).call,
                                 message, context)
        payload = writer.response(outcome.message, outcome.result, version=context.api_version,
                                  usage=context.usage, family=family)
    except SoapFault as fault:
        log.info("SOAP fault %s", fault.faultcode)
        return fault_response(fault, family=family)
    except SalesforceError as error:
        log.info("SOAP fault sf:%s", error.code)
        # An injected SERVER_UNAVAILABLE travels with HTTP 503, as Salesforce's unavailable servers answer
        # (REST errorcodes page: 503); every other fault with 500.
        status = 503 if error.code == "SERVER_UNAVAILABLE" else 500
        return fault_response(from_error(error, soql=context.soql), status, family=family)
    except ConnectionDrop as drop:
        return await dropped(request, drop)
    except Exception as error:  # noqa: BLE001 - the one place unknown errors become UNKNOWN_EXCEPTION
        return fault_response(_unexpected(error), family=family)
    return Response(payload, media_type=CONTENT_TYPE)


_IN_THE_POOL = frozenset({"login", "logout"})


def _endpoint_of(family: Family):
    async def family_endpoint(request: Request) -> Response:
        return await endpoint(request, family)

    return family_endpoint


async def wsdl_jsp(request: Request) -> Response:
    return await downloads.wsdl_jsp(request, base_url(request, request.app.state.settings))


def mount(app: FastAPI) -> None:
    router = APIRouter()
    for family in FAMILIES:
        for path in PATHS[family.name]:
            router.add_api_route(path, _endpoint_of(family),
                                 methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
    router.add_api_route("/soap/wsdl.jsp", wsdl_jsp, methods=["GET"], include_in_schema=False)
    app.include_router(router)
