"""What a request answers when no route takes it, or when something fails past every door's own error path:
always JSON, never Starlette's plain text.

Under /services (Salesforce's own URL space) a path no door serves is Salesforce's
`404 [{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]` (REST API Developer
Guide, "Status Codes and Error Responses": 404, "The requested resource couldn't be found"), whatever the path
holds (CR, LF, NUL...). Elsewhere the answer is FastAPI's JSON error ({"detail": ...}), as /_sfmock answers.
"""
from __future__ import annotations

import logging

from fastapi import FastAPI
from fastapi.exception_handlers import http_exception_handler
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from sfmock.rest.errors import RestError, from_exception, not_found
from sfmock.rest.responses import error_response

log = logging.getLogger("sfmock")


def _salesforce_space(request: Request) -> bool:
    path = request.scope.get("path", "")
    return path == "/services" or path.startswith("/services/")


def _rest_error(error: RestError) -> Response:
    return error_response(error.status, error.errors, error.headers)


async def _unserved(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if _salesforce_space(request) and exc.status_code == 404:
        return _rest_error(from_exception(not_found()))
    return await http_exception_handler(request, exc)


async def _unexpected(request: Request, exc: Exception) -> Response:
    if _salesforce_space(request):
        return _rest_error(from_exception(exc))  # logged there; UNKNOWN_EXCEPTION
    log.exception("unexpected error", exc_info=exc)
    body = {"detail": {"error": "server_error", "message": "see the sfmock log"}}
    return JSONResponse(body, status_code=500)


def install(app: FastAPI) -> None:
    app.add_exception_handler(HTTPException, _unserved)
    app.add_exception_handler(Exception, _unexpected)
