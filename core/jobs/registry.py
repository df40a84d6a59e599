"""What the worker knows how to run: a handler per message kind, and periodic jobs.

The core's channels (email, SMS, webhooks) register themselves in `core.notify`; modules register their jobs
with `register_job` / `register_periodic` (the plugin hook `register_jobs` feeds the same registry).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from core.jobs.outbox import JOB_PREFIX

if TYPE_CHECKING:
    import httpx

    from core.config import Settings


class PermanentFailure(Exception):
    """Raised by a handler when retrying cannot help: the message goes straight to the dead letters."""


class DeliveryFailed(Exception):
    """A failed attempt that carries the peer's response code (kept in the delivery log); retried."""

    def __init__(self, message: str, response_code: int | None = None) -> None:
        super().__init__(message)
        self.response_code = response_code


class Postponed(Exception):
    """Raised by a handler that cannot run yet (a paused provider): the message waits until `until`, and this
    try does not count as an attempt."""

    def __init__(self, message: str, until: datetime) -> None:
        super().__init__(message)
        self.until = until


@dataclass(frozen=True, slots=True)
class JobContext:
    """What a handler receives: the message, the worker's settings and shared HTTP client, and `resources`
    (connections a channel keeps for the worker's lifetime; values with `aclose()` are closed at the end)."""

    settings: Settings
    key: str
    kind: str
    payload: dict[str, Any]
    organisation_id: int | None
    attempt: int
    http: httpx.AsyncClient
    resources: dict[str, Any] = field(default_factory=dict)


# A handler returns the peer's response code when there is one (HTTP status, SMTP code), else None.
Handler = Callable[[JobContext], Awaitable[int | None]]
PeriodicJob = Callable[[JobContext], Awaitable[None]]

_NAME = re.compile(r"^[a-z0-9_.:-]{1,90}$")


@dataclass(frozen=True, slots=True)
class Periodic:
    name: str
    every: timedelta


@dataclass
class Registry:
    handlers: dict[str, Handler] = field(default_factory=dict)
    periodic: dict[str, Periodic] = field(default_factory=dict)

    def copy(self) -> Registry:
        """A registry starting with these handlers (an app adds its plugins' jobs to its own copy)."""
        return Registry(dict(self.handlers), dict(self.periodic))

    def register_handler(self, kind: str, handler: Handler) -> None:
        if not _NAME.match(kind):
            raise ValueError(f"invalid message kind {kind!r}: lowercase letters, digits, _ . : - only")
        existing = self.handlers.get(kind)
        if existing is not None and _unwrap(existing) is not _unwrap(handler):
            raise ValueError(f"message kind {kind!r} already has a handler ({existing.__qualname__})")
        self.handlers[kind] = handler

    def register_job(self, name: str, job: Callable[[JobContext], Awaitable[Any]]) -> None:
        """`schedule(name, payload)` runs `job(context)`, at least once."""

        async def run(context: JobContext) -> None:
            await job(context)

        run.__qualname__ = getattr(job, "__qualname__", name)
        run.__wrapped__ = job  # type: ignore[attr-defined]
        self.register_handler(JOB_PREFIX + name, run)

    def register_periodic(self, name: str, every: timedelta | float, job: PeriodicJob) -> None:
        """Run `job` once per period across all workers (each period is one outbox row keyed by its slot)."""
        period = every if isinstance(every, timedelta) else timedelta(seconds=every)
        if period.total_seconds() < 1:
            raise ValueError(f"periodic job {name!r}: the period must be at least one second")
        self.register_job(name, job)
        self.periodic[name] = Periodic(name, period)


def _unwrap(handler: Any) -> Any:
    return getattr(handler, "__wrapped__", handler)


default_registry = Registry()
register_handler = default_registry.register_handler
register_job = default_registry.register_job
register_periodic = default_registry.register_periodic
