"""Injected dropped connections: the call's socket is closed with no response at all, as a network failure
looks to a client (requests: ConnectionError "Remote end closed connection without response")."""
from __future__ import annotations

import asyncio
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from sfmock.core.faults import ConnectionDrop

SCOPE_KEY = "sfmock.drop"


class DropConnections:
    """Outermost ASGI wrapper: it sees the server's own `send`, whose owner holds the socket (uvicorn's
    RequestResponseCycle.transport), and leaves the doors a way to close it in the request's scope."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        transport = getattr(getattr(send, "__self__", None), "transport", None)
        if transport is not None and scope["type"] == "http":

            async def drop() -> None:
                transport.close()
                # Let the server notice the closed socket (connection_lost) before the app answers: it then
                # sends nothing and logs no incomplete response.
                await asyncio.sleep(0)

            scope[SCOPE_KEY] = drop
        await self.app(scope, receive, send)


async def dropped(request: Request, error: ConnectionDrop) -> Response:
    """What a door returns for an injected drop: nothing reaches the client. Without a socket to close
    (an in-process test client) the drop stays an exception."""
    drop = request.scope.get(SCOPE_KEY)
    if drop is None:
        raise error
    await drop()
    return Response(status_code=500)


def install(app: Any) -> None:
    """Wraps `app`'s middleware stack (built lazily by Starlette) in the access log and DropConnections."""
    from sfmock.logs import AccessLog

    build = app.build_middleware_stack
    app.build_middleware_stack = lambda: DropConnections(AccessLog(build()))
