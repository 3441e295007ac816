"""The web console (/_sfmock/console): records, mail, journal and setup of each org, in the browser."""
from __future__ import annotations

from fastapi import FastAPI


def mount(app: FastAPI) -> None:
    from sfmock.console.routes import router

    app.include_router(router)
