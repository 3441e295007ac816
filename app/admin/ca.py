"""GET /_sfmock/ca.pem: the CA certificate that HTTPS clients of this server must trust (the pytest plugin
fetches it for a server it did not start, a CI service container for instance)."""
from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

router = APIRouter(prefix="/_sfmock", tags=["tls"])


@router.get("/ca.pem", response_class=Response, responses={200: {"content": {"application/x-pem-file": {}}}})
def ca_certificate(request: Request) -> Response:
    from sfmock.tls import ensure_certificate

    files = ensure_certificate(request.app.state.settings)
    if files.ca_file is None:
        raise HTTPException(status_code=404, detail={"error": "not_found",
                                                      "message": "the configured certificate is not sfmock's "
                                                                 "own"})
    return Response(files.ca_file.read_bytes(), media_type="application/x-pem-file")
