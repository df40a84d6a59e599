"""API bodies for webhooks and the outbox, one Struct per direction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from core.validation import text

Url = text(2000)
EventName = text(120)
Description = text(200)
Secret = text(200)


class WebhookIn(msgspec.Struct, forbid_unknown_fields=True):
    url: Url
    events: list[EventName]
    description: Description = ""
    secret: Secret | None = None  # generated when absent


class WebhookPatch(msgspec.Struct, forbid_unknown_fields=True):
    url: Url | None = None
    events: list[EventName] | None = None
    description: Description | None = None
    active: bool | None = None


class WebhookOut(msgspec.Struct):
    id: int
    url: str
    events: list[str]
    description: str
    active: bool
    created_at: datetime
    secret: str | None = None  # only in the answer that creates the endpoint
    secret_hint: str = ""


class MessageOut(msgspec.Struct):
    id: int
    kind: str
    idempotency_key: str
    summary: str
    status: str
    attempts: int
    last_error: str
    response_code: int | None
    created_at: datetime
    next_attempt_at: datetime
    sent_at: datetime | None


def webhook_out(endpoint: Any, *, with_secret: bool = False) -> WebhookOut:
    events = endpoint.events if isinstance(endpoint.events, list) else msgspec.json.decode(endpoint.events or "[]")
    return WebhookOut(id=endpoint.id, url=endpoint.url, events=events, description=endpoint.description,
                      active=endpoint.active, created_at=endpoint.created_at,
                      secret=endpoint.secret if with_secret else None, secret_hint="…" + endpoint.secret[-4:])


def message_out(row: dict[str, Any]) -> MessageOut:
    return MessageOut(**{field: row[field] for field in MessageOut.__struct_fields__})
