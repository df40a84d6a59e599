"""Request metrics through Litestar's Prometheus plugin, with a leaner `__call__`.

Litestar's `PrometheusMiddleware` builds a `Request`, its URL, a label dict and a `functools.wraps` closure
per request, then looks up four label children: ~32 µs of CPU per request around a trivial ASGI app here.
This subclass keeps its metrics (same names, labels and buckets) but caches the label children per (method,
route template, status), so a request costs two clock reads, a dict lookup, an increment and an observation:
~6 µs (docs/deploy.md, « Metrics »)."""

from __future__ import annotations

import time
from typing import Any

from litestar.plugins.prometheus import PrometheusConfig, PrometheusMiddleware


class RequestMetricsMiddleware(PrometheusMiddleware):
    def __init__(self, app: Any, config: PrometheusConfig) -> None:
        super().__init__(app, config)
        self._children: dict[tuple[str, str, int], tuple[Any, Any, Any]] = {}
        self._in_progress: dict[tuple[str, str], Any] = {}

    def _labels(self, method: str, path: str, status: int | str) -> dict[str, str | int | float]:
        return {"method": method, "path": path, "status_code": status, "app_name": self._config.app_name}

    def _finished(self, method: str, path: str, status: int) -> tuple[Any, Any, Any]:
        children = self._children.get((method, path, status))
        if children is None:
            labels = self._labels(method, path, status)
            values = list(labels.values())
            error = self.requests_error_count(labels).labels(*values) if status >= 500 else None
            children = (self.request_count(labels).labels(*values), self.request_time(labels).labels(*values), error)
            self._children[(method, path, status)] = children
        return children

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        method = scope.get("method", "websocket")
        path = scope.get("path_template") or scope["path"]
        in_progress = self._in_progress.get((method, path))
        if in_progress is None:
            labels = self._labels(method, path, 200)
            in_progress = self.requests_in_progress(labels).labels(*labels.values())
            self._in_progress[(method, path)] = in_progress
        status = 200
        started = time.perf_counter()
        ended = 0.0

        async def send_and_time(message: Any) -> None:
            nonlocal status, ended
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                ended = time.perf_counter()
            await send(message)

        in_progress.inc()
        try:
            await self.app(scope, receive, send_and_time)
        finally:
            in_progress.dec()
            count, duration, errors = self._finished(method, path, status)
            count.inc()
            duration.observe((ended or time.perf_counter()) - started)
            if errors is not None:
                errors.inc()
