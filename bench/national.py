"""National scale on PostgreSQL (issue 22): one ordinary organisation beside 2 000 others and alone on an empty
platform, in the same run — its hot-path queries (SQL), its pages and API through uvicorn (HTTP, see
bench/national_http.py) and a worker draining 10 000 of its messages — then the retention purge (rows/s) with
booking-like writes running meanwhile (their latency p50/p99, beside the same writes without a purge, and
what they waited on, sampled from pg_stat_activity: a lock or the machine).

    .venv/bin/python bench/national.py [--scale 0.02] [--repeat 200] [--requests 30] [--no-http]

The generator is deterministic (row n is a formula of n), streams its rows into COPY (nothing is held in
memory, so scale 1 runs) and loads 2 000 organisations, 20 000 calendars, 5 M × scale bookings over a year,
2 M × scale outbox messages, 1 M × scale audit entries, after the measured organisation's own rows (ids
shifted by SHIFT). It prints rows/s per table so the full size's load time follows."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections import Counter
from dataclasses import replace
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
SHIFT = 1_000_000  # generated ids start after this: the measured organisation, seeded first, keeps ids 1…
ORG = SHIFT + 1234  # the organisation of the SQL measures (its calendars: SHIFT + 1233 + k × ORGS)


def _org(calendar: int) -> int:
    return SHIFT + 1 + calendar % ORGS


def _bookings(count: int):
    for n in range(1, count + 1):
        calendar = 1 + n % CALENDARS
        org = _org(calendar)
        start = T0 + (n * 7919) % (365 * DAY) // 900 * 900
        yield (SHIFT + n, org, org, SHIFT + calendar, start, start + 900, 1, "confirmed", "[]")


def _outbox(count: int):
    for n in range(1, count + 1):
        created = NOW - timedelta(seconds=(n * 104729) % (365 * DAY))
        yield (SHIFT + n, SHIFT + 1 + n % ORGS, "email", f"k{n}", "sent" if n % 50 else "dead", created, created)


def _audit(count: int):
    for n in range(1, count + 1):
        yield (SHIFT + n, SHIFT + 1 + n % ORGS, "calendar.booking.created",
               NOW - timedelta(seconds=(n * 15485863) % (365 * DAY)))


def tables(scale: float) -> list[tuple[str, list[str], Any]]:
    """(table, columns, row generator) of the platform, in load order; ids after SHIFT."""
    orgs = ORGS
    return [
        ("core_organisation", ["id", "name", "slug"],
         ((SHIFT + g, f"Org {g}", f"org-{g}") for g in range(1, orgs + 1))),
        ("core_office", ["id", "organisation", "name"],
         ((SHIFT + g, SHIFT + g, f"Accueil {g}") for g in range(1, orgs + 1))),
        ("core_calendar", ["id", "organisation", "office", "name", "ics_token"],
         ((SHIFT + g, _org(g), _org(g), f"Agent {g}", f"t{g}") for g in range(1, CALENDARS + 1))),
        ("core_calendar_booking", ["id", "organisation", "office", "calendar", "start_ts", "end_ts", "seats",
                                   "status", "history"], _bookings(int(5_000_000 * scale))),
        ("core_outbox", ["id", "organisation", "kind", "idempotency_key", "status", "created_at", "sent_at"],
         _outbox(int(2_000_000 * scale))),
        ("core_audit", ["id", "organisation", "action", "at"], _audit(int(1_000_000 * scale))),
    ]


async def generate(url: str, scale: float, only: int | None = None) -> dict[str, float]:
    """COPY the platform into a migrated database; returns rows/s per table. With `only`, the same rows of that
    one organisation (the same formulas, filtered): the platform with nobody else."""
    connection = await asyncpg.connect(url)
    rates: dict[str, float] = {}
    for table, columns, records in tables(scale):
        started = time.perf_counter()
        org_column = columns.index("organisation") if "organisation" in columns else 0
        counted = [0]

        def stream(records: Any = records, org_column: int = org_column, counted: list[int] = counted) -> Any:
            for record in records:  # a generator all the way into COPY: no table is held in memory
                if only is None or record[org_column] == only:
                    counted[0] += 1
                    yield record

        await connection.copy_records_to_table(table, records=stream(), columns=columns)
        rates[table] = counted[0] / (time.perf_counter() - started)
        await connection.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                 f"(SELECT coalesce(max(id), 0) + 1 FROM {table}))")
    await connection.execute("ANALYZE")
    await connection.close()
    return rates


def _queries(org: int) -> list[tuple[str, str, tuple[Any, ...]]]:
    calendars = [org - 1 + ORGS * k for k in range(10)]  # calendar SHIFT + c belongs to SHIFT + 1 + c % ORGS
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


async def _write_loop(url: str, done: asyncio.Event, tag: str) -> tuple[list[float], Counter[str]]:
    """Booking-like writes in a loop until `done` (lock the organisation row, an audit entry, an outbox message,
    as `calendar.book` does): their latencies (ms), and what the writing backend waited on, sampled from
    pg_stat_activity by another connection every millisecond (`Lock:…` would be the purge's locks; `LWLock`,
    `IO` or nothing while slow is the machine)."""
    writer, sampler = await asyncpg.connect(url), await asyncpg.connect(url)
    pid = writer.get_server_pid()
    latencies: list[float] = []
    waits: Counter[str] = Counter()
    busy = asyncio.Event()

    async def sample() -> None:
        while not done.is_set():
            if busy.is_set():
                row = await sampler.fetchrow("SELECT wait_event_type, wait_event, state FROM pg_stat_activity "
                                             "WHERE pid = $1", pid)
                if row is not None and row["state"] == "active":
                    waits[f"{row['wait_event_type']}:{row['wait_event']}" if row["wait_event_type"] else "CPU"] += 1
            await asyncio.sleep(0.001)

    sampling = asyncio.create_task(sample())
    n = 0
    while not done.is_set():
        n += 1
        busy.set()
        started = time.perf_counter()
        async with writer.transaction():
            await writer.execute("SELECT 1 FROM core_organisation WHERE id = $1 FOR UPDATE", ORG)
            await writer.execute("INSERT INTO core_audit (organisation, action, at) VALUES ($1, $2, now())",
                                 ORG, "calendar.booking.created")
            await writer.execute("INSERT INTO core_outbox (organisation, kind, idempotency_key) VALUES "
                                 "($1, 'email', $2)", ORG, f"bench-{tag}-{n}")
        latencies.append((time.perf_counter() - started) * 1000)
        busy.clear()
        await asyncio.sleep(0.002)
    await sampling
    await writer.close()
    await sampler.close()
    return latencies, waits


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else 0.0


async def purge_with_bookings(url: str, config: RetentionSettings, now: datetime = NOW,
                              baseline_seconds: float = 5.0) -> dict[str, Any]:
    """The booking-like writes alone for `baseline_seconds`, then during a purge (`config`, as of `now`):
    rows purged, rows/s, the writes' p50/p99 both times and their sampled waits during the purge."""
    done = asyncio.Event()
    loop = asyncio.create_task(_write_loop(url, done, f"base{time.monotonic_ns()}"))
    await asyncio.sleep(baseline_seconds)
    done.set()
    baseline, _ = await loop
    engine = db.create_engine(url)
    db.bind(engine, db.all_tables(db.app_configs()))
    await db.start(engine)
    done = asyncio.Event()
    loop = asyncio.create_task(_write_loop(url, done, f"purge{time.monotonic_ns()}"))
    try:
        report = await purge_all(config, now=now)
    finally:
        done.set()
        during, waits = await loop
        await db.stop(engine)
    return {"rows": report.total, "rate": report.total / max(report.seconds, 1e-9), "seconds": report.seconds,
            "batches": report.batches, "base_p50": statistics.median(baseline), "base_p99": _p(baseline, 0.99),
            "p50": statistics.median(during), "p99": _p(during, 0.99), "writes": len(during), "waits": waits}


def print_purge(label: str, figures: dict[str, Any]) -> None:
    waits = figures["waits"]
    total = sum(waits.values()) or 1
    top = ", ".join(f"{name} {count / total:.0%}" for name, count in waits.most_common(4))
    print(f"purge {label}: {figures['rows']} rows in {figures['batches']} batches, {figures['seconds']:.1f} s, "
          f"{figures['rate']:.0f} rows/s; booking writes without purge p50 {figures['base_p50']:.2f} ms p99 "
          f"{figures['base_p99']:.2f} ms, during it p50 {figures['p50']:.2f} ms p99 {figures['p99']:.2f} ms "
          f"({figures['writes']} writes; sampled while writing: {top})")


async def migrate(url: str) -> None:
    engine = db.create_engine(url)
    db.bind(engine, db.all_tables(db.app_configs()))
    await db.start(engine)
    try:
        await db.migrate()
    finally:
        await db.stop(engine)


async def run(server: PostgresServer, args: argparse.Namespace) -> None:
    from bench import national_http as http

    alone, national = server.create_database("alone"), server.create_database("national")
    with http.new_targets(("alone", alone), ("national", national)) as targets:
        await measure(targets, alone, national, args)


async def measure(targets: list[Any], alone: str, national: str, args: argparse.Namespace) -> None:
    from bench import national_http as http

    scale, repeat = args.scale, args.repeat
    for target in targets:
        if args.http:
            await http.seed_organisation(target, args.agents)  # migrates every module, then the town hall
        else:
            await migrate(target.url)
    await generate(alone, scale, only=ORG)  # the same organisation's rows, nobody else's
    started = time.perf_counter()
    rates = await generate(national, scale)
    print(f"generated scale {scale:g} in {time.perf_counter() - started:.1f} s; rows/s by COPY:")
    for table, rate in rates.items():
        print(f"  {table:24} {rate:10.0f}")
    connection = await asyncpg.connect(national)
    print("\nrows and bytes per row (table + indexes + TOAST):")
    for table in ("core_calendar_booking", "core_outbox", "core_audit"):
        size, count = await connection.fetchrow(f"SELECT pg_total_relation_size('{table}'), count(*) FROM {table}")
        print(f"  {table:24} {count:>10} rows {size / max(count, 1):8.0f} B/row {size / 2**20:8.0f} MiB")
    total = await connection.fetchval("SELECT pg_database_size(current_database())")
    print(f"  {'database':24} {total / 2**20:.0f} MiB")
    await connection.close()
    beside, by_itself = await time_queries(national, ORG, repeat), await time_queries(alone, ORG, repeat)
    print(f"\n{'SQL measure (median ms)':34} {'beside':>8} {'alone':>8} {'ratio':>6}")
    for name in beside:
        print(f"{name:34} {beside[name]:8.3f} {by_itself[name]:8.3f} {beside[name] / by_itself[name]:6.2f}")
    if args.http:
        await http_measures(targets, args)
    # The purge deletes for real: variants purge as of successive moments, each finding the 60 days of outbox
    # the previous one left (comparable amounts); without --purge-variants, one purge as of NOW.
    variants = [(1000, 0, 120), (200, 0, 60), (200, 5, 0)] if args.purge_variants else [(1000, 0, 0)]
    for batch, pause, days_before in variants:
        figures = await purge_with_bookings(national, replace(RetentionSettings(), batch_size=batch,
                                                              batch_pause_ms=pause),
                                            now=NOW - timedelta(days=days_before))
        print_purge(f"batch {batch}, pause {pause} ms, as of NOW - {days_before} d", figures)


async def http_measures(targets: list[Any], args: argparse.Namespace) -> None:
    from bench import national_http as http
    from core.testing.receivers import SmtpReceiver

    for target in targets:
        http.start(target)
    try:
        figures = await http.measure_http(targets, args.requests)
    finally:
        for target in targets:
            http.stop(target)
    with SmtpReceiver() as smtp:
        for target in targets:
            figures.setdefault(f"worker drains {args.messages} messages", {})[target.label] = await http.drain(
                target, args.messages, smtp.port)
    print(f"\n{'HTTP measure (median ms)':34} {'beside':>9} {'alone':>9} {'ratio':>6}   (goal <= 1.2)")
    for name, by in figures.items():
        print(f"{name:34} {by['national']:9.1f} {by['alone']:9.1f} {by['national'] / by['alone']:6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=0.02, help="fraction of 5 M bookings / 2 M outbox / 1 M audit")
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--requests", type=int, default=30, help="timed HTTP requests per measure and database")
    parser.add_argument("--agents", type=int, default=10, help="agents of the measured town hall")
    parser.add_argument("--messages", type=int, default=10_000, help="messages the worker drains")
    parser.add_argument("--no-http", dest="http", action="store_false", help="SQL measures and purge only")
    parser.add_argument("--purge-variants", action="store_true", help="also purge in batches of 200, with pauses")
    args = parser.parse_args()
    server = PostgresServer.start()
    try:
        asyncio.run(run(server, args))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
