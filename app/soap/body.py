"""Request bodies for the SOAP door: read once (chunked or with Content-Length), at most max_body_bytes, and
decoded from Content-Encoding gzip/deflate without ever inflating past that limit (gzip bombs)."""
from __future__ import annotations

import zlib

from starlette.requests import Request

from app.soap.faults import SoapFault, api_fault, client_fault


def too_large(limit: int) -> SoapFault:
    # ExceptionCode EXCEEDED_MAX_SIZE_REQUEST: "Size of the message sent to the API exceeded" the limit
    # (SOAP API, ExceptionCode). [UNCONFIRMED] exact text; Salesforce's own limit is 50 MB.
    return api_fault("EXCEEDED_MAX_SIZE_REQUEST",
                     f"Size of the message sent to the API exceeded {limit} bytes")


def _inflate(data: bytes, limit: int, wbits: int) -> bytes:
    inflater = zlib.decompressobj(wbits)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error:
        raise client_fault("The request body could not be decompressed") from None
    if len(out) > limit or inflater.unconsumed_tail:
        raise too_large(limit)
    return out


async def read(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
    body = b"".join(chunks)
    encoding = request.headers.get("content-encoding", "").strip().lower()
    if not body or encoding in ("", "identity"):
        return body
    if encoding in ("gzip", "x-gzip"):
        return _inflate(body, limit, 16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return _inflate(body, limit, zlib.MAX_WBITS)
    raise client_fault(f"Content-Encoding '{encoding}' is not supported")
