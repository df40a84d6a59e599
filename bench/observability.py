"""In-process cost per request of the observability layers on the API's hot path (GET /api/v1/offices, SQLite).

Calls the ASGI app directly (no server, no network: what is left is the app's own CPU time), alternating:
  bare       the app without the request-id wrapper and without metrics
  request id the default app (X-Request-ID on every response, id on every log line)
  + metrics  with SOCLE_METRICS_TOKEN set (Litestar's Prometheus middleware: latency histogram per route)
Usage: .venv/bin/python bench/observability.py [--requests 3000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:1] = [str(ROOT)]  # not bench/ first: bench/plugins.py would shadow the plugins package


async def call(app: Any, path: str, headers: list[tuple[bytes, bytes]]) -> int:
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "", "headers": headers,
             "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000)}
    await app(scope, receive, send)
    return status


async def per_request_us(app: Any, path: str, headers: list[tuple[bytes, bytes]], n: int) -> float:
    assert await call(app, path, headers) == 200
    start = time.process_time()  # CPU time of this process: less sensitive to a busy machine than wall time
    for _ in range(n):
        await call(app, path, headers)
    return (time.process_time() - start) / n * 1e6


async def main(requests: int, rounds: int) -> None:
    from bench.api_reads import seed
    from core.config import Settings
    from core.web import create_app

    data_dir = Path(tempfile.mkdtemp(prefix="socle-bench-obs-"))
    os.environ.update({"SOCLE_DATA_DIR": str(data_dir), "SOCLE_RUN_WORKER": "0"})
    token = await seed(data_dir)
    headers = [(b"host", b"127.0.0.1"), (b"authorization", f"Bearer {token}".encode())]
    settings = Settings.from_env()
    bare = create_app(settings)
    bare.asgi_handler = bare.asgi_handler.app  # unwrap the request-id layer
    variants = {"bare": bare, "request id": create_app(settings),
                "+ metrics": create_app(dataclasses.replace(settings, metrics_token="x" * 32))}
    app = variants["request id"]
    for hook in app.on_startup:  # the three apps share the bound engine
        await app._call_lifespan_hook(hook)
    results: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, variant in variants.items():
            results[name].append(await per_request_us(variant, "/api/v1/offices", headers, requests))
    base = statistics.median(results["bare"])
    for name, values in results.items():
        median = statistics.median(values)
        print(f"{name:<12} {median:7.1f} µs/request  (range {min(values):.1f}–{max(values):.1f})  "
              f"{median - base:+6.1f} µs")
    for hook in reversed(app.on_shutdown):
        await app._call_lifespan_hook(hook)
    shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.requests, arguments.rounds))
