"""Prometheus metrics at /metrics, behind a token (`SOCLE_METRICS_TOKEN`; 404 without it or with a wrong one).

- Requests: Litestar's Prometheus middleware (`request_metrics_middleware`), latency histogram and counts
  labelled by route template (`/api/v1/offices/{office_id:int}`), method and status. Only mounted when a token
  is set: nobody can read the figures otherwise, and the API's hot path then pays nothing for them.
- Domain: bookings made and refused, job failures (counters kept by the process that did the work).
- Outbox: messages waiting, retrying, dead, and the age of the oldest one waiting — read from the database at
  scrape time, so every app process reports the whole queue, whichever worker drains it.

Several processes on one machine (`socle serve --workers N`) share `PROMETHEUS_MULTIPROC_DIR`, set by
`socle serve` before they start; each scrape then adds up the counters of all of them."""

from __future__ import annotations

import functools
import hmac
import os
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from typing import Any, ParamSpec, TypeVar

from litestar import Request, Response
from litestar.exceptions import NotFoundException
from litestar.middleware.base import DefineMiddleware
from litestar.plugins.prometheus import PrometheusConfig
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from core.config import Settings
from core.errors import Conflict
from core.jobs.tables import DEAD, PENDING, SENDING, OutboxMessage

P = ParamSpec("P")
T = TypeVar("T")
# Opt key a route handler sets to stay out of the request metrics (the probes and /metrics itself).
NO_METRICS = "no_request_metrics"
LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0]

BOOKINGS = Counter("socle_bookings_total", "Calendar bookings asked for, by outcome (made, refused).",
                   ["outcome"])
JOB_FAILURES = Counter("socle_job_failures_total",
                       "Failed outbox deliveries and jobs, by kind; final=yes when the message went to the dead "
                       "letters (no more retries).", ["kind", "final"])


def counted_booking(book: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
    """Around the calendar's `book`: a return counts as made, a Conflict (slot taken, outside the opening
    hours) as refused."""

    @functools.wraps(book)
    async def counted(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            booking = await book(*args, **kwargs)
        except Conflict:
            BOOKINGS.labels("refused").inc()
            raise
        BOOKINGS.labels("made").inc()
        return booking

    return counted


def job_failed(kind: str, final: bool) -> None:
    JOB_FAILURES.labels(kind, "yes" if final else "no").inc()


def request_metrics_middleware(settings: Settings) -> list[DefineMiddleware]:
    """The app's request-metrics middleware (outermost), none when no token is set."""
    if not settings.metrics_token:
        return []
    from core.ops.request_metrics import RequestMetricsMiddleware

    config = PrometheusConfig(app_name="socle", prefix="socle", group_path=True, buckets=LATENCY_BUCKETS,
                              exclude_opt_key=NO_METRICS, middleware_class=RequestMetricsMiddleware)
    return [config.middleware]


class OutboxCollector(Collector):
    """The queue as the database has it now (filled by `read` just before the scrape is rendered)."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.retrying = 0
        self.oldest_age = 0.0

    async def read(self) -> None:
        from core import db

        waiting = [PENDING, SENDING, DEAD]
        rows = await db.fetch(
            "SELECT status, attempts > 0 AS retried, COUNT(*) AS n FROM core_outbox WHERE status IN ({}, {}, {}) "
            "GROUP BY status, attempts > 0", *waiting)
        self.counts = dict.fromkeys(waiting, 0)
        for row in rows:
            self.counts[row["status"]] += int(row["n"])
            if row["status"] == PENDING and row["retried"]:
                self.retrying += int(row["n"])
        oldest = await OutboxMessage.select(OutboxMessage.created_at).where(
            OutboxMessage.status.is_in([PENDING, SENDING])).order_by(OutboxMessage.created_at).limit(1)
        if oldest:
            self.oldest_age = max(0.0, (datetime.now(UTC) - oldest[0]["created_at"]).total_seconds())

    def collect(self) -> Iterator[GaugeMetricFamily]:
        messages = GaugeMetricFamily("socle_outbox_messages", "Outbox messages not sent yet, by status "
                                     "(pending, sending, dead).", labels=["status"])
        for status, count in self.counts.items():
            messages.add_metric([status], count)
        yield messages
        yield GaugeMetricFamily("socle_outbox_retrying_messages", "Pending messages that failed at least once.",
                                value=self.retrying)
        yield GaugeMetricFamily("socle_outbox_oldest_age_seconds", "Age of the oldest message waiting "
                                "(pending or sending), 0 when none.", value=self.oldest_age)


def _authorised(request: Request[Any, Any, Any], token: str) -> bool:
    given = request.headers.get("authorization", "")
    return bool(token) and given.startswith("Bearer ") and hmac.compare_digest(given[7:].encode(), token.encode())


async def metrics_response(request: Request[Any, Any, Any]) -> Response[bytes]:
    if not _authorised(request, request.app.state.settings.metrics_token):
        raise NotFoundException()
    registry: CollectorRegistry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    outbox = OutboxCollector()
    await outbox.read()
    scrape = CollectorRegistry(auto_describe=False)
    scrape.register(outbox)
    body = generate_latest(registry) + generate_latest(scrape)
    return Response(body, media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})
