"""The worker's "sms" handler once plugins are loaded: an SMS enqueued for an office goes through that office's
chosen provider (with its settings), behind the per-office circuit breaker; others through the platform's."""

from __future__ import annotations

from typing import Any

from core.jobs import JobContext, PermanentFailure
from core.jobs.registry import Handler
from core.notify.sms import deliver_sms
from core.plugin_api.types import SmsMessage
from core.providers import services
from core.providers.registry import SMS


def handler(manager: Any) -> Handler:
    async def deliver(context: JobContext) -> int | None:
        office_id = context.payload.get("office_id")
        organisation_id = context.organisation_id
        if not isinstance(office_id, int) or organisation_id is None:
            return await deliver_sms(context)
        resolved = await services.resolve(manager.providers(), manager, SMS.key, organisation_id, office_id,
                                          key=context.settings.secret_key)
        if resolved is None:
            raise PermanentFailure("Aucun fournisseur SMS pour ce bureau.")
        message = SmsMessage(to=context.payload["to"], text=context.payload["text"], key=context.key,
                             organisation_id=organisation_id, office_id=office_id, settings=resolved.settings)
        await guarded(resolved, organisation_id, office_id, lambda: resolved.provider.implementation.send(message),
                      context)
        return None

    deliver.__qualname__ = "deliver_sms_through_office_provider"
    deliver.__wrapped__ = deliver_sms  # type: ignore[attr-defined]
    return deliver


async def guarded(resolved: services.Resolved, organisation_id: int, office_id: int, call: Any,
                  context: JobContext) -> None:
    """Run a provider call behind the office's circuit breaker for that provider (the platform's default has
    none: it is the operator's)."""
    from core.plugins import health

    if resolved.plugin_id is None:
        await call()
        return
    await health.guard(context.settings, organisation_id, office_id, resolved.plugin_id,
                       f"provider:{resolved.provider.key}", f"le fournisseur « {resolved.provider.label} »", call)
