"""Plugins' background jobs (`register_jobs`) handed to the worker."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from core.jobs import JobContext, Registry, default_registry
from core.plugin_api.types import JobSpec
from core.plugins import health
from core.plugins.manager import PluginManager


def _adapter(spec: JobSpec) -> Callable[[JobContext], Awaitable[None]]:
    """A job whose payload names an `office_id` (and enqueued with its organisation) runs behind that office's
    circuit breaker (API 1.1, `core.plugins.health`)."""
    plugin_id = spec.name.split(".", 1)[0]

    async def run(context: JobContext) -> None:
        office_id = context.payload.get("office_id")
        if not isinstance(office_id, int) or isinstance(office_id, bool) or context.organisation_id is None:
            await spec.handler(context.payload)
            return
        await health.guard(context.settings, context.organisation_id, office_id, plugin_id, f"job:{spec.name}",
                           f"la tâche « {spec.name} »", lambda: spec.handler(context.payload))

    run.__qualname__ = spec.name
    return run


def registry_with_plugin_jobs(manager: PluginManager) -> Registry:
    """The core's handlers (email, SMS, webhooks) plus every healthy plugin's jobs, periodic ones when
    `every_seconds` is set. One per app or worker process: plugins never leak between apps."""
    import core.notify  # noqa: F401  (registers the email, SMS and webhook channels)
    from core.documents import jobs as document_jobs
    from core.notify.sms import KIND as SMS_KIND
    from core.operators import billing_jobs
    from core.providers.sms import handler as sms_handler
    from core.retention import jobs as retention_jobs

    registry = default_registry.copy()
    registry.register_handler(SMS_KIND, sms_handler(manager))  # the office's chosen provider (API 1.1)
    document_jobs.register(registry)  # the retention purge
    retention_jobs.register(registry)  # outbox, webhook deliveries, audit, calendar history (core.retention)
    billing_jobs.register(registry, manager)  # monthly billing, trials' expiry, invoices' PDFs (core.operators)
    for spec in manager.jobs():
        if spec.every_seconds:
            registry.register_periodic(spec.name, spec.every_seconds, _adapter(spec))
        else:
            registry.register_job(spec.name, _adapter(spec))
    return registry
