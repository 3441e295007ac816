"""The Bulk door: Bulk API 2.0 under /services/data/vNN.0/jobs (Bearer, JSON + CSV) and Bulk API 1.0 under
/services/async/NN.0 (X-SFDC-Session, XML or JSON + CSV/XML/JSON), both onto the same record service through
the background worker (sfmock.bulk.worker)."""
from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from sfmock.bulk import v1, v2
from sfmock.bulk.worker import Worker
from sfmock.rest.routes import RestRouter

_V = "/services/data/v{version}/jobs"


def _v2_router() -> RestRouter:
    r = RestRouter()
    # Uploads read up to Bulk 2.0's own limit, larger than the REST door's request limit.
    r.resource(f"{_V}/ingest/{{job_id}}/batches", put=v2.put_batches, body_limit=v2.MAX_UPLOAD)
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
    A leading `//` is folded before it, by the REST door's middleware (sfmock.rest._LeadingSlashes)."""

    def __init__(self, app: Any, worker: Worker) -> None:
        self.app, self.worker = app, worker

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.worker.request_started()
        try:
            await self.app(scope, receive, send)
        finally:
            self.worker.request_finished()


def mount(app: FastAPI) -> None:
    """Adds both Bulk APIs to `app`; the worker is created here and started by the server (sfmock.asgi), so
    that an app built for a test runs batches only when the test asks (worker.drain)."""
    worker = app.state.bulk_worker = Worker(app.state.db)
    app.add_middleware(_InFlight, worker=worker)
    _v2_router().mount(app)
    app.include_router(v1.router(app.state.settings))
