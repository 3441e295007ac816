"""The lock on the /_sfmock prefix: the test-control API answers only whoever started sfmock.

An ASGI middleware wrapped around the whole app, so that everything mounted under /_sfmock (routes, docs,
openapi.json, a console added later) is covered without its author doing anything:

- admin API off: every /_sfmock path is 404, docs included;
- a Host this server does not serve (DNS rebinding: a page's own name resolving to 127.0.0.1) is 403;
- a cross-site request (an Origin other than the server's own, Sec-Fetch-Site cross-site or same-site) is 403,
  so that no web page can drive it, not even with a "simple" text/plain POST that needs no preflight;
- with SFMOCK_ADMIN_TOKEN set, a call without it is 401 (`Authorization: Bearer <token>`, or Basic with the
  token as password so that a browser opening /_sfmock/docs can prompt for it).
"""
from __future__ import annotations

import base64
import binascii
import hmac
import ipaddress
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from sfmock.settings import Settings

PREFIX = "/_sfmock"
# Names that are the loopback interface by definition (RFC 6761 §6.3 for "localhost").
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


def is_loopback(host: str) -> bool:
    name = host.strip("[]").lower()
    if name in LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def split_host(value: str) -> tuple[str, int | None] | None:
    """(host, port) of a Host header or an Origin's netloc; None when it is not one."""
    try:
        parts = urlsplit(f"//{value}")
        return (parts.hostname or "").lower(), parts.port
    except ValueError:
        return None


class AdminGuard:
    def __init__(self, app: App, settings: Settings) -> None:
        self.app = app
        self.enabled = settings.admin_api
        self.token = settings.admin_token or None
        extra = {h.strip().lower() for h in settings.allowed_hosts.split(",") if h.strip()}
        self.any_host = "*" in extra
        self.hosts = extra | _served_names(settings)
        # Behind a proxy the page's origin is the public URL's, not the one the request arrives on.
        public = urlsplit(settings.public_url or "")
        self.public_origin = f"{public.scheme}://{public.netloc}".lower() if public.netloc else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # A leading run of slashes counts as one: the doors inside fold `//services/…` for the sf CLI, and a
        # `//_sfmock/…` must not reach the API past this check.
        path = "/" + scope.get("path", "").lstrip("/")
        if scope["type"] != "http" or not (path == PREFIX or path.startswith(PREFIX + "/")):
            await self.app(scope, receive, send)
            return
        refusal = self.refusal(scope)
        if refusal is not None:
            await _json(send, *refusal)
            return

        async def send_private(message: Message) -> None:
            if message["type"] == "http.response.start":
                # Secrets (a new org's passwords and client secrets) are never cached or sniffed.
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"cache-control", b"no-store"),
                                      (b"x-content-type-options", b"nosniff")]
            await send(message)

        await self.app(scope, receive, send_private)

    def refusal(self, scope: Scope) -> tuple[int, str, str, dict[str, str]] | None:
        """(status, error, message, headers) for a request the guard refuses, or None."""
        if not self.enabled:
            return 404, "not_found", "the test-control API is off (SFMOCK_ADMIN_API=false)", {}
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        host = split_host(headers.get("host", ""))
        if host is None or not self._host_served(host[0]):
            return 403, "forbidden", "Host not served by sfmock (set SFMOCK_ALLOWED_HOSTS to add one)", {}
        if headers.get("sec-fetch-site", "").lower() in ("cross-site", "same-site"):
            return 403, "forbidden", "cross-site requests to the test-control API are refused", {}
        origin = headers.get("origin")
        if origin is not None and origin.strip().rstrip("/").lower() != self.public_origin \
                and not _same_origin(origin, scope.get("scheme", "http"), headers["host"]):
            return 403, "forbidden", "cross-site requests to the test-control API are refused", {}
        if self.token is not None and not _has_token(headers.get("authorization", ""), self.token):
            challenge = {"www-authenticate": 'Basic realm="sfmock", charset="UTF-8"'}
            needs = "the test-control API needs SFMOCK_ADMIN_TOKEN (Authorization: Bearer)"
            return 401, "unauthorized", needs, challenge
        return None

    def _host_served(self, host: str) -> bool:
        return self.any_host or host in self.hosts or is_loopback(host)


def _served_names(settings: Settings) -> set[str]:
    """The listen address (unless a wildcard) and the public URL's host are the server's own names too."""
    names = set()
    if settings.host not in ("0.0.0.0", "::", ""):
        names.add(settings.host.strip("[]").lower())
    if settings.public_url:
        public = urlsplit(settings.public_url).hostname
        if public:
            names.add(public.lower())
    return names


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def _same_origin(origin: str, scheme: str, host_header: str) -> bool:
    """Origin names the scheme, host and port the request was sent to. "null" (sandboxed frames, file://) is
    never the server's own."""
    parts = urlsplit(origin.strip())
    host = split_host(host_header)
    if host is None or parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    try:
        origin_port = parts.port or _default_port(parts.scheme)
    except ValueError:
        return False
    return (parts.scheme == scheme and parts.hostname.lower() == host[0]
            and origin_port == (host[1] or _default_port(scheme)))


def _has_token(authorization: str, token: str) -> bool:
    scheme, _, value = authorization.strip().partition(" ")
    presented = value.strip()
    if scheme.lower() == "basic":
        try:
            presented = base64.b64decode(presented, validate=True).decode("utf-8").partition(":")[2]
        except (binascii.Error, UnicodeDecodeError):
            return False
    elif scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(presented.encode("utf-8", "surrogatepass"), token.encode("utf-8"))


async def _json(send: Send, status: int, error: str, message: str, headers: dict[str, str]) -> None:
    # The admin API's own error shape ({"detail": {"error", "message"}}, as its routes answer).
    body = json.dumps({"detail": {"error": error, "message": message}}).encode("utf-8")
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
           (b"cache-control", b"no-store")]
    raw += [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
