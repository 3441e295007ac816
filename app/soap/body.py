"""Request bodies for the SOAP door: sfmock.request_body, its failures as SOAP faults."""
from __future__ import annotations

from starlette.requests import Request

from sfmock.request_body import BodyError, read_body
from sfmock.soap.faults import SoapFault, api_fault, client_fault


def too_large(limit: int) -> SoapFault:
    # ExceptionCode EXCEEDED_MAX_SIZE_REQUEST: "Size of the message sent to the API exceeded" the limit
    # (SOAP API, ExceptionCode). [UNCONFIRMED] exact text; Salesforce's own limit is 50 MB.
    return api_fault("EXCEEDED_MAX_SIZE_REQUEST",
                     f"Size of the message sent to the API exceeded {limit} bytes")


async def read(request: Request, limit: int) -> bytes:
    try:
        return await read_body(request, limit)
    except BodyError as error:
        if error.kind == "too_large":
            raise too_large(limit) from None
        if error.kind == "undecodable":
            raise client_fault("The request body could not be decompressed") from None
        raise client_fault(f"Content-Encoding '{error.detail}' is not supported") from None
