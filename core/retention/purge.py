"""The batched purge. Each batch is one short transaction `DELETE … WHERE id = ANY(ARRAY(SELECT id … LIMIT n))`: it
locks only the rows it deletes, so a booking writing its audit entry and outbox message meanwhile never waits
on it (measured by bench/national.py). Calendar history is not deleted: the booking stays, its cancel/move
`history` is emptied once the appointment is old enough."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from piccolo.querystring import QueryString

from core import db
from core.jobs.tables import DEAD, SENT
from core.notify.webhooks import KIND as WEBHOOK
from core.retention.settings import RetentionSettings


@dataclass
class PurgeReport:
    rows: dict[str, int] = field(default_factory=dict)
    batches: int = 0
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _instant(moment: datetime) -> Any:
    """A timestamp parameter: aware datetime for asyncpg, Piccolo's ISO text on SQLite."""
    return moment if db.is_postgres() else moment.isoformat()


def _targets(settings: RetentionSettings, now: datetime) -> list[tuple[str, str, str, list[Any]]]:
    """(name, table, condition, args) of every purge with a finite retention; the condition's last column
    (the row's age) orders the batches."""
    def before(days: int) -> Any:
        return _instant(now - timedelta(days=days))

    targets: list[tuple[str, str, str, list[Any]]] = []
    if settings.outbox_sent_days:
        targets.append(("outbox_sent", "core_outbox", "status = {} AND kind <> {} AND created_at < {}",
                        [SENT, WEBHOOK, before(settings.outbox_sent_days)]))
    if settings.outbox_dead_days:
        targets.append(("outbox_dead", "core_outbox", "status = {} AND kind <> {} AND created_at < {}",
                        [DEAD, WEBHOOK, before(settings.outbox_dead_days)]))
    if settings.webhook_days:
        targets.append(("webhook_deliveries", "core_outbox", "status IN ({}, {}) AND kind = {} AND created_at < {}",
                        [SENT, DEAD, WEBHOOK, before(settings.webhook_days)]))
    if settings.audit_days:
        targets.append(("audit", "core_audit", "at < {}", [before(settings.audit_days)]))
    return targets


def _age(condition: str) -> str:
    return condition.rsplit(" AND ", 1)[-1].split(" <")[0].strip()


async def _batch(sql: str, args: list[Any]) -> int:
    async with db.write_transaction():
        rows = await db.engine().run_querystring(QueryString(sql, *args))
    return len(rows)


async def _drain(sql: str, args: list[Any], report: PurgeReport, name: str, pause: float = 0.0) -> None:
    while True:
        done = await _batch(sql, args)
        report.batches += 1
        report.rows[name] = report.rows.get(name, 0) + done
        if not done:
            return
        if pause:
            await asyncio.sleep(pause)


def statements(config: RetentionSettings, now: datetime) -> list[tuple[str, str, list[Any]]]:
    """(name, SQL, args) of one batch of each purge with a finite retention (the EXPLAIN test reads them)."""
    limit = int(config.batch_size)
    # PostgreSQL: `= ANY(ARRAY(…))`, because with `IN (SELECT … LIMIT n)` the planner may hash-join the n ids
    # against a sequential scan of the whole table; the array makes it n primary-key look-ups.
    opening, closing = ("= ANY(ARRAY(", "))") if db.is_postgres() else ("IN (", ")")
    # Oldest first, in the order of the age index (`core_outbox_finished`, `core_audit_at`): each batch reads
    # the next n entries of that index. `ORDER BY id` made PostgreSQL walk the primary key and filter on the
    # age, which after a first purge (dead index entries) or where ids do not follow the creation order
    # costs a batch 100+ ms at 2 M rows (measured by bench/national.py).
    found = [(name, f"DELETE FROM {table} WHERE id {opening}SELECT id FROM {table} WHERE {condition} "
                    f"ORDER BY {_age(condition)} LIMIT {limit}{closing} RETURNING id", args)
             for name, table, condition, args in _targets(config, now)]
    if config.calendar_history_days:
        cutoff = int((now - timedelta(days=config.calendar_history_days)).timestamp())
        history = "history::text" if db.is_postgres() else "history"  # the partial index's predicate, verbatim
        found.append(("calendar_history", f"UPDATE core_calendar_booking SET history = '[]' WHERE id {opening}"
                      f"SELECT id FROM core_calendar_booking WHERE end_ts < {{}} AND {history} <> '[]' ORDER BY end_ts "
                      f"LIMIT {limit}{closing} RETURNING id", [cutoff]))
    return found


async def purge_all(settings: RetentionSettings | None = None, now: datetime | None = None) -> PurgeReport:
    """Purge everything past its retention, batch by batch; returns the rows touched per kind."""
    config = settings or RetentionSettings.from_env()
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    report = PurgeReport()
    started = time.perf_counter()
    for name, sql, args in statements(config, moment):
        await _drain(sql, args, report, name, config.batch_pause_ms / 1000)
    report.seconds = time.perf_counter() - started
    return report
