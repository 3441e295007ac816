"""Builds the FastAPI app: health, the admin API, and the SOAP and REST doors."""
from __future__ import annotations

import importlib
import logging

from fastapi import FastAPI

from sfmock.persistence.db import Database
from sfmock.settings import Settings, get_settings

log = logging.getLogger("sfmock")


def create_app(settings: Settings | None = None, db: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    admin = settings.admin_api
    # The docs page is served by sfmock.admin.docs (assets from the installed package, no CDN).
    app = FastAPI(title="sfmock", version="0.1.0", docs_url=None, redoc_url=None,
                  openapi_url="/_sfmock/openapi.json" if admin else None)
    app.state.settings = settings
    app.state.db = db or Database(settings.database_url, lock_wait=settings.lock_wait_seconds)

    @app.get("/health", include_in_schema=False)
    def health() -> dict[str, str]:
        return {"status": "ok"}

    # Matched in this order: the Salesforce doors first (they take nearly every request), then the
    # test-control API (its routes all under /_sfmock), then Email-to-Case's own /_sfmock route, as before.
    for door in ("sfmock.soap", "sfmock.metadata", "sfmock.bulk", "sfmock.rest", "sfmock.web"):
        _mount_door(app, door)
    _mount_admin(app, settings)
    _mount_door(app, "sfmock.inbound")
    from sfmock import drops, fallbacks
    from sfmock.admin.guard import AdminGuard

    fallbacks.install(app)
    drops.install(app)

    # Around every route: the whole /_sfmock prefix (routes, docs, anything mounted there later) answers only
    # whoever started sfmock.
    app.add_middleware(AdminGuard, settings=settings)
    return app


def _mount_door(app: FastAPI, door: str) -> None:
    """Each door registers its own routes; a door not yet present is simply not served."""
    try:
        module = importlib.import_module(door)
    except ModuleNotFoundError as missing:
        if missing.name != door:
            raise
        return
    mount = getattr(module, "mount", None)
    if mount is not None:
        mount(app)


def _mount_admin(app: FastAPI, settings: Settings) -> None:
    if not settings.admin_api:
        return
    from sfmock.admin import docs
    from sfmock.admin.ca import router as ca_router
    from sfmock.admin.faults import router as faults_router
    from sfmock.admin.routes import router as admin_router
    from sfmock.console import mount as mount_console

    docs.mount(app, "/_sfmock/openapi.json")
    app.include_router(faults_router)
    app.include_router(ca_router)
    mount_console(app)
    app.include_router(admin_router)
