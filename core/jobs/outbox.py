"""Writing to the outbox. Every function here only inserts or updates rows: callers wrap them in their own
`db.write_transaction()` so the message exists if and only if the business change is committed."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from core.jobs.tables import DEAD, PENDING, SENT, OutboxMessage

JOB_PREFIX = "job:"


def now() -> datetime:
    return datetime.now(UTC)


def new_key(prefix: str) -> str:
    return f"{prefix}:{uuid.uuid4().hex}"


async def enqueue(kind: str, payload: dict[str, Any], *, key: str | None = None, organisation_id: int | None = None,
                  at: datetime | None = None, summary: str = "", ref: str = "") -> str:
    """Insert one message; returns its idempotency key. A key already in the outbox is ignored (the first
    message wins), so enqueueing twice with the same key sends once."""
    key = key or new_key(kind)
    row = OutboxMessage(kind=kind, idempotency_key=key, organisation=organisation_id, payload=payload,
                        next_attempt_at=at or now(), summary=summary[:300], ref=ref, status=PENDING)
    await OutboxMessage.insert(row).on_conflict(target=OutboxMessage.idempotency_key, action="DO NOTHING").run()
    return key


async def schedule(name: str, payload: dict[str, Any] | None = None, *, at: datetime | None = None,
                   key: str | None = None, organisation_id: int | None = None) -> str:
    """Run the job registered as `name` (see `register_job`) at `at` (now by default), at least once."""
    return await enqueue(JOB_PREFIX + name, payload or {}, key=key, organisation_id=organisation_id, at=at,
                         summary=f"Tâche {name}", ref=JOB_PREFIX + name)


async def replay(message: OutboxMessage) -> None:
    """Send a message again (same key, attempts from zero): for dead or sent messages an admin re-triggers."""
    await OutboxMessage.update({
        OutboxMessage.status: PENDING, OutboxMessage.attempts: 0, OutboxMessage.next_attempt_at: now(),
        OutboxMessage.locked_until: None, OutboxMessage.locked_by: "", OutboxMessage.last_error: "",
    }).where(OutboxMessage.id == message.id)


def can_replay(status: str) -> bool:
    return status in (DEAD, SENT)
