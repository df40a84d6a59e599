"""Notifications through the outbox: email, SMS and webhooks (public API).

`enqueue_email`, `enqueue_sms` and `emit_event` only insert rows: call them inside your own
`db.write_transaction()`, so a message exists if and only if the change that causes it is committed.
The worker (`core.jobs`) delivers them at least once. See docs/notify.md.
"""

from core.jobs import default_registry
from core.notify.channels import register_channels
from core.notify.email import Attachment, enqueue_email
from core.notify.sms import LoggingSmsProvider, SmsProvider, enqueue_sms, register_sms_provider
from core.notify.templates import add_template_dir, render_email
from core.notify.webhooks import SIGNATURE_HEADER, emit_event, sign

register_channels(default_registry)

__all__ = [
    "SIGNATURE_HEADER",
    "Attachment",
    "LoggingSmsProvider",
    "SmsProvider",
    "add_template_dir",
    "emit_event",
    "enqueue_email",
    "enqueue_sms",
    "register_channels",
    "register_sms_provider",
    "render_email",
    "sign",
]
