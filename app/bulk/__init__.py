"""The Bulk door: Bulk API 2.0 under /services/data/vNN.0/jobs (Bearer, JSON + CSV) and Bulk API 1.0 under
/services/async/NN.0 (X-SFDC-Session, XML or JSON + CSV/XML/JSON), both onto the same record service through
the background worker (app.bulk.worker)."""
from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from app.bulk import v1, v2
from app.bulk.worker import Worker
from app.rest import bodies
from app.rest.context import RestContext
from app.rest.errors import from_exception, not_found
from app.rest.headers import limit_info
from app.rest.responses import error_response
from app.rest.routes import RestRouter

_V = "/services/data/v{version}/jobs"


def _upload_endpoint(handler: Any) -> Any:
    """PUT …/batches reads bodies up to Bulk 2.0's upload limit (v2.MAX_UPLOAD), larger than the REST door's
    request limit."""

    async def endpoint(request: Request) -> Response:
        state = request.app.state
        ctx = RestContext(request, settings=state.settings, db=state.db)
        try:
            params = dict(request.path_params)
            ctx.version = params.pop("version")
            if not state.settings.supports_version(ctx.version):
                raise not_found()
            ctx.body = await bodies.read(request, v2.MAX_UPLOAD)
            response = await run_in_threadpool(handler, ctx, **params)
        except Exception as exc:  # noqa: BLE001 - every failure becomes the REST error array
            error = from_exception(exc)
            response = error_response(error.status, error.errors, error.headers)
        if ctx.usage is not None:
            response.headers["Sforce-Limit-Info"] = limit_info(ctx.usage)
        return response

    return endpoint


def _v2_router() -> RestRouter:
    r = RestRouter()
    for variant in (f"{_V}/ingest/{{job_id}}/batches", f"{_V}/ingest/{{job_id}}/batches/"):
        r.router.add_api_route(variant, _upload_endpoint(v2.put_batches), methods=["PUT"],
                               include_in_schema=False)
    r.resource(f"{_V}/ingest", post=v2.post_ingest, get=v2.list_jobs)
    r.resource(f"{_V}/ingest/{{job_id}}", get=v2.get_job, patch=v2.patch_job, delete=v2.delete_job)
    r.resource(f"{_V}/ingest/{{job_id}}/{{kind}}", get=v2.get_results)
    q = v2.QUERY
    r.resource(f"{_V}/query", post=v2.post_query, get=lambda ctx: v2.list_jobs(ctx, q))
    r.resource(f"{_V}/query/{{job_id}}", get=lambda ctx, job_id: v2.get_job(ctx, job_id, q),
               patch=lambda ctx, job_id: v2.patch_job(ctx, job_id, q),
               delete=lambda ctx, job_id: v2.delete_job(ctx, job_id, q))
    r.resource(f"{_V}/query/{{job_id}}/results", get=v2.get_query_results)
    return r


class _InFlight:
    """ASGI middleware: tells the worker how many requests this process is answering (it lets them go first).

    It also answers a path that starts with a doubled slash as the single-slash path: the sf CLI keeps the
    instance URL with a trailing slash ("http://host:port/") and its bulk export checks the session with
    GET {instanceUrl}/services/data/vNN.0, i.e. "//services/data/…" (@salesforce/core Connection.refreshAuth)."""

    def __init__(self, app: Any, worker: Worker) -> None:
        self.app, self.worker = app, worker

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"].startswith("//"):
            path = "/" + scope["path"].lstrip("/")
            scope = dict(scope, path=path, raw_path=path.encode())
        self.worker.request_started()
        try:
            await self.app(scope, receive, send)
        finally:
            self.worker.request_finished()


def mount(app: FastAPI) -> None:
    """Adds both Bulk APIs to `app`; the worker is created here and started by the server (app.asgi), so that
    an app built for a test runs batches only when the test asks (worker.drain)."""
    worker = app.state.bulk_worker = Worker(app.state.db)
    app.add_middleware(_InFlight, worker=worker)
    app.include_router(_v2_router().router)
    app.include_router(v1.router(app.state.settings))
