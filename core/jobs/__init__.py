"""Background jobs and the outbox they share with notifications (public API).

Everything that enqueues only inserts rows: call it inside your own `db.write_transaction()` so the job exists
exactly when your change is committed. A worker (`socle worker`, or in-process with `settings.run_worker`)
runs the jobs at least once, with retries and dead letters. See docs/notify.md.
"""

from core.jobs.outbox import enqueue, replay, schedule
from core.jobs.registry import (
    DeliveryFailed,
    JobContext,
    PermanentFailure,
    Postponed,
    Registry,
    default_registry,
    register_handler,
    register_job,
    register_periodic,
)
from core.jobs.runner import BackgroundWorker, run_worker_process
from core.jobs.tables import DEAD, PENDING, SENDING, SENT, OutboxMessage
from core.jobs.worker import Worker

__all__ = [
    "DEAD",
    "PENDING",
    "SENDING",
    "SENT",
    "BackgroundWorker",
    "DeliveryFailed",
    "JobContext",
    "OutboxMessage",
    "PermanentFailure",
    "Postponed",
    "Registry",
    "Worker",
    "default_registry",
    "enqueue",
    "register_handler",
    "register_job",
    "register_periodic",
    "replay",
    "run_worker_process",
    "schedule",
]
