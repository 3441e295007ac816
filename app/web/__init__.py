"""The web-form door: Web-to-Lead and Web-to-Case posts (`/servlet/servlet.WebToLead|WebToCase`) onto the
core."""
from __future__ import annotations

from fastapi import FastAPI

from sfmock.web.forms import router


def mount(app: FastAPI) -> None:
    app.include_router(router)
