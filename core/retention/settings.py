"""How long each kind of row is kept, read from the environment (days; 0 keeps forever)."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RetentionSettings:
    """Ages count from the row's creation (`created_at`, the audit's `at`, a booking's end), which the
    purge's indexes cover. Defaults: a sent message is proof of delivery for a quarter (support questions,
    « je n'ai rien reçu »);
    a dead one stays twice as long so an operator can still replay it; a webhook delivery is a log line for
    the receiver's debugging (30 days); the audit log keeps a year (CNIL recommendation for access logs:
    6 months to 1 year); a booking's cancel/move history is emptied 2 years after the appointment."""

    outbox_sent_days: int = 90
    outbox_dead_days: int = 180
    webhook_days: int = 30
    audit_days: int = 365
    calendar_history_days: int = 730
    batch_size: int = 1000
    # Milliseconds slept between two batches: leaves the database (and a small machine's cores) to the
    # requests meanwhile; the purge takes longer, never holds more.
    batch_pause_ms: int = 0

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> RetentionSettings:
        env = os.environ if environ is None else environ
        default = cls()

        def days(name: str, value: int) -> int:
            number = int(env.get(name, value))
            if number < 0:
                raise ValueError(f"{name} : une durée de conservation ne peut pas être négative")
            return number

        return cls(
            outbox_sent_days=days("SOCLE_RETENTION_OUTBOX_SENT_DAYS", default.outbox_sent_days),
            outbox_dead_days=days("SOCLE_RETENTION_OUTBOX_DEAD_DAYS", default.outbox_dead_days),
            webhook_days=days("SOCLE_RETENTION_WEBHOOK_DAYS", default.webhook_days),
            audit_days=days("SOCLE_RETENTION_AUDIT_DAYS", default.audit_days),
            calendar_history_days=days("SOCLE_RETENTION_CALENDAR_HISTORY_DAYS", default.calendar_history_days),
            batch_size=max(1, int(env.get("SOCLE_RETENTION_BATCH_SIZE", default.batch_size))),
            batch_pause_ms=max(0, int(env.get("SOCLE_RETENTION_BATCH_PAUSE_MS", default.batch_pause_ms))),
        )
