"""The core's channels, registered on a jobs registry (the default one when `core.notify` is imported)."""

from __future__ import annotations

from core.jobs import Registry
from core.notify import email, sms, webhooks


def register_channels(registry: Registry) -> None:
    registry.register_handler(email.KIND, email.deliver_email)
    registry.register_handler(sms.KIND, sms.deliver_sms)
    registry.register_handler(webhooks.KIND, webhooks.deliver_webhook)
