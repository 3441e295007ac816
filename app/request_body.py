"""Reading a request body for either door: once (chunked or with Content-Length), at most `limit` bytes, and
decoded from Content-Encoding gzip/deflate without ever inflating past that limit (gzip bombs). Each door
turns a BodyError into its own wire error."""
from __future__ import annotations

import zlib
from typing import Literal

from starlette.requests import Request

_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


class BodyError(Exception):
    def __init__(self, kind: Literal["too_large", "undecodable", "unsupported_encoding"],
                 detail: str = "") -> None:
        super().__init__(kind, detail)
        self.kind = kind
        self.detail = detail


def _inflate(data: bytes, limit: int, wbits: int) -> bytes:
    inflater = zlib.decompressobj(wbits)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error:
        raise BodyError("undecodable") from None
    if len(out) > limit or inflater.unconsumed_tail:
        raise BodyError("too_large")
    return out


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyError("too_large")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyError("too_large")
        chunks.append(chunk)
    body = b"".join(chunks)
    encoding = request.headers.get("content-encoding", "").strip().lower()
    if encoding in ("", "identity"):
        return body
    if encoding not in _WBITS:
        raise BodyError("unsupported_encoding", encoding)
    return _inflate(body, limit, _WBITS[encoding]) if body else body
