"""Writing to the outbox. Every function here only inserts or updates rows: callers wrap them in their own
`db.write_transaction()` so the message exists if and only if the business change is committed."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from piccolo.utils.encoding import dump_json

from core import db
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
    moment = now()
    await db.insert(OutboxMessage, {
        "organisation": organisation_id, "kind": kind, "idempotency_key": key, "ref": ref, "summary": summary[:300],
        "payload": dump_json(payload), "status": PENDING, "attempts": 0, "next_attempt_at": at or moment,
        "locked_until": None, "locked_by": "", "last_error": "", "response_code": None, "created_at": moment,
        "sent_at": None}, ignore_conflict_on="idempotency_key")  # raw: every booking queues one
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
