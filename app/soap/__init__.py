"""The Partner SOAP door: `/services/Soap/u/{version}[/{orgId}]`, served in-process through spyne."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sfmock.soap import compat  # noqa: F401  (first: patches spyne's six before anything imports spyne)

if TYPE_CHECKING:
    from fastapi import FastAPI


def mount(app: FastAPI) -> None:
    """Registers the SOAP routes on `app` (called by sfmock.main.create_app)."""
    from sfmock.soap.routes import mount as mount_routes

    mount_routes(app)
