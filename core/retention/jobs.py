"""The retention purge as a periodic job of every app's and `socle worker`'s registry (core.plugins.jobs)."""

from __future__ import annotations

import logging

from core.jobs import JobContext, Registry
from core.retention.purge import purge_all

log = logging.getLogger("socle.retention")
PURGE_EVERY_SECONDS = 3600  # hourly: small batches every hour rather than one big purge a night


async def purge_job(context: JobContext) -> None:
    report = await purge_all()
    if report.total:
        log.info("rétention : %d lignes purgées en %.1f s (%s)", report.total, report.seconds,
                 ", ".join(f"{name} {count}" for name, count in report.rows.items() if count))


def register(registry: Registry) -> None:
    registry.register_periodic("core.retention.purge", PURGE_EVERY_SECONDS, purge_job)
