"""The inbound-mail door: Email-to-Case by an admin route taking a raw RFC 822 message and by an optional SMTP
listener (aiosmtpd), both onto sfmock.core.email_to_case."""
from __future__ import annotations

from fastapi import FastAPI


def mount(app: FastAPI) -> None:
    if app.state.settings.admin_api:
        from sfmock.inbound.routes import router

        app.include_router(router)
