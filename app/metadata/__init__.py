"""The Metadata API door: `/services/Soap/m/{version}[/...]`, one more spyne application beside the Partner
API's (app/soap/), sharing its envelope reading, transport and session handling."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sfmock.soap import compat  # noqa: F401  (first: patches spyne's six before anything imports spyne)

if TYPE_CHECKING:
    from fastapi import FastAPI


def mount(app: FastAPI) -> None:
    """Registers the Metadata API routes on `app` (called by sfmock.main.create_app)."""
    from sfmock.metadata.routes import mount as mount_routes

    mount_routes(app)
