"""The retention purge, a periodic job of every app's and `socle worker`'s registry (see core.plugins.jobs)."""

from __future__ import annotations

import logging

from core.documents.services import purge_expired
from core.documents.storage import storage_for
from core.jobs import JobContext, Registry

log = logging.getLogger("socle.documents")
PURGE_EVERY_SECONDS = 6 * 3600  # several times a day: a document never outlives its date by more than that


async def purge_job(context: JobContext) -> None:
    purged = await purge_expired(storage=storage_for(context.settings))
    if purged:
        log.info("documents: %d purged past their retention date", purged)


def register(registry: Registry) -> None:
    registry.register_periodic("core.documents.purge", PURGE_EVERY_SECONDS, purge_job)
