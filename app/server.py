"""Serving: the HTTP listener and the HTTPS one (simple-salesforce forces https://) in one process."""
from __future__ import annotations

import asyncio
import logging
from typing import Any

import uvicorn

from sfmock.settings import Settings

log = logging.getLogger("sfmock")


KEEP_ALIVE_SECONDS = 75


def _options(settings: Settings, port: int, **extra: Any) -> dict[str, Any]:
    """uvicorn options for one listener. Forwarded headers are never trusted: sfmock is reached directly, and
    X-Forwarded-For must not stand in for the caller's address in the trusted-network login check."""
    # uvicorn's own access log stays off: sfmock.logs writes one line per request, with the org and operation.
    # Idle keep-alive connections are kept well past the clients' polling intervals: uvicorn's 5 s default
    # equals simple-salesforce's Bulk polling wait, and a connection closed just as the client reuses it fails
    # the poll with RemoteDisconnected (the client does not retry).
    return {"host": settings.host, "port": port, "log_level": settings.log_level, "access_log": False,
            "lifespan": "off", "proxy_headers": False, "timeout_keep_alive": KEEP_ALIVE_SECONDS, **extra}


async def _serve_all(servers: list[uvicorn.Server]) -> None:
    await asyncio.gather(*(s.serve() for s in servers))


def exposure_warning(settings: Settings) -> str | None:
    """The warning printed at start when the test-control API is reachable beyond this machine unlocked."""
    from sfmock.admin.guard import is_loopback

    if not settings.admin_api or settings.admin_token or is_loopback(settings.host):
        return None
    return (f"sfmock: WARNING: listening on {settings.host} with the /_sfmock test-control API on and no "
            "SFMOCK_ADMIN_TOKEN: anyone who reaches this port by a served host name can reset orgs and read "
            "mail. Set SFMOCK_ADMIN_TOKEN (or SFMOCK_ADMIN_API=false).")


def _serve_workers(config: uvicorn.Config) -> None:
    """uvicorn.run's multi-worker path, with TCP_NODELAY on the listening socket (Linux passes it on to the
    connections it accepts). uvicorn binds that socket without a protocol number, so asyncio does not set
    TCP_NODELAY on the workers' connections, and every keep-alive response waited for the client's delayed ACK
    (~40 ms: /health fell from 2,400 to 180 requests/s with --workers 2, `make bench`)."""
    import socket

    from uvicorn.supervisors import Multiprocess

    sock = config.bind_socket()
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    Multiprocess(config, sockets=[sock]).run()


class PortTaken(OSError):
    pass


def check_ports(settings: Settings) -> None:
    """One clear error before anything starts when a listen port is taken (uvicorn would print a
    traceback)."""
    import socket

    for port in (settings.port, settings.https_port):
        family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((settings.host, port))
            except OSError as error:
                message = (f"cannot listen on {settings.host}:{port}: {error.strerror or error} (choose "
                           f"another "
                           "with --port / --https-port or SFMOCK_PORT / SFMOCK_HTTPS_PORT)")
                raise PortTaken(message) from None


def serve(settings: Settings, *, workers: int = 1) -> None:
    import sys

    from sfmock.relay import start_relay
    from sfmock.tls import ensure_certificate

    check_ports(settings)
    warning = exposure_warning(settings)
    if warning:
        print(warning, file=sys.stderr, flush=True)

    # One relay per server (in this process, beside every worker); rows are claimed, so none is sent twice.
    start_relay(settings)

    files = ensure_certificate(settings)
    if settings.tls_ca_export and files.ca_file:
        import shutil

        settings.tls_ca_export.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(files.ca_file, settings.tls_ca_export)
        print(f"sfmock: CA certificate exported to {settings.tls_ca_export}", flush=True)
    print(f"sfmock: http://{settings.host}:{settings.port}  https://{settings.host}:{settings.https_port}",
          flush=True)
    print(f"sfmock: HTTPS CA certificate: {files.ca_file} (e.g. export REQUESTS_CA_BUNDLE={files.ca_file})",
          flush=True)
    if settings.email_to_case_port:
        from sfmock.inbound.smtp import start
        from sfmock.persistence.db import Database

        start(Database(settings.database_url), settings.host, settings.email_to_case_port)
        print(f"sfmock: Email-to-Case SMTP on {settings.host}:{settings.email_to_case_port}", flush=True)
    http = _options(settings, settings.port)
    https = _options(settings, settings.https_port, ssl_certfile=str(files.cert_file),
                     ssl_keyfile=str(files.key_file))
    if workers > 1:
        # Several processes on one database: uvicorn's supervisor runs the HTTP listener with N workers and
        # the HTTPS listener runs in a process beside it.
        import multiprocessing

        https_server = uvicorn.Server(uvicorn.Config("sfmock.asgi:app", **https))
        https_process = multiprocessing.Process(target=https_server.run, daemon=True)
        https_process.start()
        _serve_workers(uvicorn.Config("sfmock.asgi:app", workers=workers, **http))
        return
    asyncio.run(_serve_all([uvicorn.Server(uvicorn.Config("sfmock.asgi:app", **http)),
                            uvicorn.Server(uvicorn.Config("sfmock.asgi:app", **https))]))
