"""Serving: the HTTP listener and the HTTPS one (simple-salesforce forces https://) in one process."""
from __future__ import annotations

import asyncio
import logging

import uvicorn

from app.settings import Settings

log = logging.getLogger("sfmock")


def _options(settings: Settings, port: int, **extra: object) -> dict[str, object]:
    """uvicorn options for one listener. Forwarded headers are never trusted: sfmock is reached directly, and
    X-Forwarded-For must not stand in for the caller's address in the trusted-network login check."""
    # uvicorn's own access log stays off: app.logs writes one line per request, with the org and operation.
    return {"host": settings.host, "port": port, "log_level": settings.log_level, "access_log": False,
            "lifespan": "off", "proxy_headers": False, **extra}


async def _serve_all(servers: list[uvicorn.Server]) -> None:
    await asyncio.gather(*(s.serve() for s in servers))


class PortTaken(OSError):
    pass


def check_ports(settings: Settings) -> None:
    """One clear error before anything starts when a listen port is taken (uvicorn would print a traceback)."""
    import socket

    for port in (settings.port, settings.https_port):
        family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((settings.host, port))
            except OSError as error:
                message = (f"cannot listen on {settings.host}:{port}: {error.strerror or error} (choose another "
                           "with --port / --https-port or SFMOCK_PORT / SFMOCK_HTTPS_PORT)")
                raise PortTaken(message) from None


def serve(settings: Settings, *, workers: int = 1) -> None:
    from app.relay import start_relay
    from app.tls import ensure_certificate

    check_ports(settings)

    # One relay per server (in this process, beside every worker); rows are claimed, so none is sent twice.
    start_relay(settings)

    files = ensure_certificate(settings)
    if settings.tls_ca_export and files.ca_file:
        import shutil

        settings.tls_ca_export.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(files.ca_file, settings.tls_ca_export)
        print(f"sfmock: CA certificate exported to {settings.tls_ca_export}", flush=True)
    print(f"sfmock: http://{settings.host}:{settings.port}  https://{settings.host}:{settings.https_port}", flush=True)
    print(f"sfmock: HTTPS CA certificate: {files.ca_file} (e.g. export REQUESTS_CA_BUNDLE={files.ca_file})",
          flush=True)
    http = _options(settings, settings.port)
    https = _options(settings, settings.https_port, ssl_certfile=str(files.cert_file), ssl_keyfile=str(files.key_file))
    if workers > 1:
        # Several processes on one database: uvicorn's supervisor runs the HTTP listener with N workers and
        # the HTTPS listener runs in a process beside it.
        import multiprocessing

        https_server = uvicorn.Server(uvicorn.Config("app.asgi:app", **https))
        https_process = multiprocessing.Process(target=https_server.run, daemon=True)
        https_process.start()
        uvicorn.run("app.asgi:app", workers=workers, **http)
        return
    asyncio.run(_serve_all([uvicorn.Server(uvicorn.Config("app.asgi:app", **http)),
                            uvicorn.Server(uvicorn.Config("app.asgi:app", **https))]))
