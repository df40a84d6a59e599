"""National scale on PostgreSQL (issue 22), the database slice: one ordinary organisation's hot-path queries
beside 2 000 others and alone on an empty platform, in the same run, then the retention purge (rows/s) with
booking writes running meanwhile (their wait, p50/p99).

    .venv/bin/python bench/national.py [--scale 0.02] [--repeat 200]

The generator is deterministic (row n is a formula of n) and loads with COPY: 2 000 organisations, 20 000
calendars, 5 M × scale bookings over a year, 2 M × scale outbox messages, 1 M × scale audit entries. It prints
rows/s per table so the full size's load time follows. HTTP measures (slot page, booking, cart, worker) are
in bench/rdv.py, bench/booking.py and bench/outbox.py; they are not repeated beside the national data here."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import asyncpg

from core import db
from core.retention import RetentionSettings, purge_all
from core.testing.postgres import PostgresServer

ORGS, CALENDARS, DAY = 2000, 20000, 86400
T0 = 1_767_225_600  # 2026-01-01 UTC
NOW = datetime(2027, 1, 1, tzinfo=UTC)
ORG = 1234  # the measured organisation (its calendars: ORG + k × ORGS)


def _bookings(count: int):
    for n in range(1, count + 1):
        calendar = 1 + n % CALENDARS
        org = 1 + calendar % ORGS
        start = T0 + (n * 7919) % (365 * DAY) // 900 * 900
        yield (n, org, org, calendar, start, start + 900, 1, "confirmed", "[]")


def _outbox(count: int):
    for n in range(1, count + 1):
        created = NOW - timedelta(seconds=(n * 104729) % (365 * DAY))
        yield (n, 1 + n % ORGS, "email", f"k{n}", "sent" if n % 50 else "dead", created, created)


def _audit(count: int):
    for n in range(1, count + 1):
        yield (n, 1 + n % ORGS, "calendar.booking.created", NOW - timedelta(seconds=(n * 15485863) % (365 * DAY)))


async def generate(url: str, scale: float, only: int | None = None) -> dict[str, float]:
    """COPY the platform into a migrated database; returns rows/s per table. With `only`, the same rows of that
    one organisation (the same formulas, filtered): the platform with nobody else."""
    connection = await asyncpg.connect(url)
    rates: dict[str, float] = {}
    orgs = ORGS  # with `only`, every row is made then filtered: the same ids and values as beside the others
    tables: list[tuple[str, list[str], Any]] = [
        ("core_organisation", ["id", "name", "slug"], ((g, f"Org {g}", f"org-{g}") for g in range(1, orgs + 1))),
        ("core_office", ["id", "organisation", "name"], ((g, g, f"Accueil {g}") for g in range(1, orgs + 1))),
        ("core_calendar", ["id", "organisation", "office", "name", "ics_token"],
         ((g, 1 + g % orgs, 1 + g % orgs, f"Agent {g}", f"t{g}") for g in range(1, CALENDARS + 1))),
        ("core_calendar_booking", ["id", "organisation", "office", "calendar", "start_ts", "end_ts", "seats",
                                   "status", "history"], _bookings(int(5_000_000 * scale))),
        ("core_outbox", ["id", "organisation", "kind", "idempotency_key", "status", "created_at", "sent_at"],
         _outbox(int(2_000_000 * scale))),
        ("core_audit", ["id", "organisation", "action", "at"], _audit(int(1_000_000 * scale))),
    ]
    for table, columns, records in tables:
        started = time.perf_counter()
        org_column = columns.index("organisation") if "organisation" in columns else 0
        rows = [r for r in records if only is None or r[org_column] == only]
        await connection.copy_records_to_table(table, records=rows, columns=columns)
        rates[table] = len(rows) / (time.perf_counter() - started)
        await connection.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                 f"(SELECT coalesce(max(id), 0) + 1 FROM {table}))")
    await connection.execute("ANALYZE")
    await connection.close()
    return rates


def _queries(org: int) -> list[tuple[str, str, tuple[Any, ...]]]:
    calendars = [org - 1 + ORGS * k for k in range(10)]  # calendar c belongs to 1 + c % ORGS
    month = T0 + 150 * DAY
    return [
        ("GET /api/v1/offices (SQL)", "SELECT id, name, address, timezone FROM core_office WHERE organisation = $1",
         (org,)),
        ("slot page month: bookings", "SELECT calendar, start_ts, end_ts, seats FROM core_calendar_booking WHERE "
         "calendar = ANY($1::int[]) AND start_ts >= $2 AND start_ts < $3 AND status = 'confirmed'",
         (calendars, month, month + 31 * DAY)),
        ("agent week planning: bookings", "SELECT id, start_ts, end_ts FROM core_calendar_booking WHERE "
         "calendar = $1 AND start_ts >= $2 AND start_ts < $3", (calendars[0], month, month + 7 * DAY)),
        ("audit log (last 200)", "SELECT at, action FROM core_audit WHERE organisation = $1 ORDER BY id DESC "
         "LIMIT 200", (org,)),
        ("outbox list (last 50)", "SELECT id, kind, status FROM core_outbox WHERE organisation = $1 "
         "ORDER BY created_at DESC LIMIT 50", (org,)),
    ]


async def time_queries(url: str, org: int, repeat: int) -> dict[str, float]:
    connection = await asyncpg.connect(url)
    figures: dict[str, float] = {}
    for name, sql, args in _queries(org):
        for _ in range(20):
            await connection.fetch(sql, *args)
        samples = []
        for _ in range(repeat):
            started = time.perf_counter()
            await connection.fetch(sql, *args)
            samples.append((time.perf_counter() - started) * 1000)
        figures[name] = statistics.median(samples)
    await connection.close()
    return figures


async def purge_with_bookings(url: str) -> tuple[int, float, float, float]:
    """Purge (default retentions, as of NOW) while a booking's writes run in a loop; rows, rows/s, p50, p99."""
    engine = db.create_engine(url)
    db.bind(engine, db.all_tables(db.app_configs()))
    await db.start(engine)
    writer = await asyncpg.connect(url)
    waits: list[float] = []
    done = asyncio.Event()

    async def bookings() -> None:
        n = 0
        while not done.is_set():
            n += 1
            started = time.perf_counter()
            async with writer.transaction():
                await writer.execute("SELECT 1 FROM core_organisation WHERE id = $1 FOR UPDATE", ORG)
                await writer.execute("INSERT INTO core_audit (organisation, action, at) VALUES ($1, $2, now())",
                                     ORG, "calendar.booking.created")
                await writer.execute("INSERT INTO core_outbox (organisation, kind, idempotency_key) VALUES "
                                     "($1, 'email', $2)", ORG, f"bench-{n}")
            waits.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(0.002)

    task = asyncio.create_task(bookings())
    try:
        report = await purge_all(RetentionSettings(), now=NOW)
    finally:
        done.set()
        await task
        await writer.close()
        await db.stop(engine)
    waits.sort()
    p99 = waits[min(len(waits) - 1, int(len(waits) * 0.99))]
    return report.total, report.total / report.seconds, statistics.median(waits), p99


async def migrate(url: str) -> None:
    engine = db.create_engine(url)
    db.bind(engine, db.all_tables(db.app_configs()))
    await db.start(engine)
    try:
        await db.migrate()
    finally:
        await db.stop(engine)


async def run(server: PostgresServer, scale: float, repeat: int) -> None:
    alone, national = server.create_database("alone"), server.create_database("national")
    for url in (alone, national):
        await migrate(url)
    await generate(alone, scale, only=ORG)  # the same organisation's rows, nobody else's
    started = time.perf_counter()
    rates = await generate(national, scale)
    print(f"generated scale {scale:g} in {time.perf_counter() - started:.1f} s; rows/s by COPY:")
    for table, rate in rates.items():
        print(f"  {table:24} {rate:10.0f}")
    connection = await asyncpg.connect(national)
    print("\nbytes per row (table + indexes + TOAST):")
    for table in ("core_calendar_booking", "core_outbox", "core_audit"):
        size, count = await connection.fetchrow(f"SELECT pg_total_relation_size('{table}'), count(*) FROM {table}")
        print(f"  {table:24} {size / max(count, 1):8.0f}")
    await connection.close()
    beside, by_itself = await time_queries(national, ORG, repeat), await time_queries(alone, ORG, repeat)
    print(f"\n{'measure (median ms)':34} {'beside':>8} {'alone':>8} {'ratio':>6}")
    for name in beside:
        print(f"{name:34} {beside[name]:8.3f} {by_itself[name]:8.3f} {beside[name] / by_itself[name]:6.2f}")
    rows, rate, p50, p99 = await purge_with_bookings(national)
    print(f"\npurge: {rows} rows at {rate:.0f} rows/s; booking writes meanwhile p50 {p50:.2f} ms, p99 {p99:.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=0.02, help="fraction of 5 M bookings / 2 M outbox / 1 M audit")
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    server = PostgresServer.start()
    try:
        asyncio.run(run(server, args.scale, args.repeat))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
