"""A cheap HTTP/1.1 load generator: raw asyncio streams, keep-alive, N concurrent connections, so that on a
2-core machine the client is not the bottleneck (httpx costs more per request than the bare endpoint it
measures). Numbers, not assertions: tests never time anything."""
from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

Request = Callable[[int], bytes]  # request number -> the raw request bytes


@dataclass
class Figures:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    failures: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def request(method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length, chunked = 0, False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if not chunked:
        return status, await reader.readexactly(length)
    body = b""
    while True:
        size = int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
        body += await reader.readexactly(size + 2)
        if size == 0:
            return status, body


async def _run(port: int, make: Request, ok: Callable[[int, bytes], bool], clients: int, seconds: float,
               most: int | None) -> Figures:
    times: list[float] = []
    failures = 0
    counter = iter(range(10**9))
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal failures
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.perf_counter() < deadline and (most is None or len(times) < most):
                number = next(counter)
                t0 = time.perf_counter()
                writer.write(make(number))
                status, body = await _response(reader)
                times.append(time.perf_counter() - t0)
                if not ok(status, body):
                    failures += 1
                    if failures == 1:
                        print(f"  unexpected answer {status}: {body[:300]!r}")
        finally:
            writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.perf_counter() - start
    times.sort()
    if not times:
        return Figures(0, elapsed, 0.0, 0.0, failures)
    return Figures(len(times), elapsed, statistics.median(times) * 1000,
                   times[min(len(times) - 1, int(len(times) * 0.99))] * 1000, failures)


def drive(port: int, make: Request, ok: Callable[[int, bytes], bool], *, clients: int = 8,
          seconds: float = 4.0,
          warmup: int = 20, most: int | None = None) -> Figures:
    """Runs `clients` keep-alive connections for `seconds` (or `most` requests) after a short warm-up."""
    asyncio.run(_run(port, make, lambda s, b: True, 1, 30.0, warmup))
    return asyncio.run(_run(port, make, ok, clients, seconds, most))
