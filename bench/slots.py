"""Free-slot search benchmark: 1 busy organisation (4 offices × 50 = 200 calendars, 10 k opening rules,
40 k bookings in March 2027) beside 9 smaller ones, on SQLite (default) or a throwaway PostgreSQL.

Times (median of --runs) through the service and through HTTP (a real uvicorn process on loopback):
month search over 200 calendars, one-week search of one calendar, first free slot across 200 calendars
within 3 months, 3-month multi-site search; and the floor: fetching the same rows + encoding the result.

    .venv/bin/python bench/slots.py [--db sqlite|postgres] [--runs 7]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import httpx
import msgspec

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core import calendar as cal  # noqa: E402
from core import db  # noqa: E402
from core.calendar import loading  # noqa: E402
from core.calendar.recurrence import LocalClock, Recurrence, parse_byday  # noqa: E402
from core.calendar.rows import date_arg, fetch, id_list  # noqa: E402
from core.calendar.search import forget_memos  # noqa: E402
from core.tenancy import services as tenancy  # noqa: E402
from core.tenancy.tables import Office  # noqa: E402

PARIS = ZoneInfo("Europe/Paris")
PASSWORD = "mot-de-passe-bench"
YEAR = 2027
PERIODS = [(date(YEAR, 1, 1), date(YEAR, 3, 15)), (date(YEAR, 3, 16), date(YEAR, 5, 31)),
           (date(YEAR, 6, 1), date(YEAR, 8, 31)), (date(YEAR, 9, 1), date(YEAR, 10, 31)),
           (date(YEAR, 11, 1), date(YEAR, 12, 31))]
HALVES = [(540, 750), (840, 1050)]  # 09:00–12:30, 14:00–17:30
MARCH = (datetime(YEAR, 3, 1, tzinfo=PARIS), datetime(YEAR, 4, 1, tzinfo=PARIS))
NOW = datetime(YEAR, 2, 20, tzinfo=UTC)
DURATION = 30


async def insert_many(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    engine = db.engine()
    if db.is_postgres():
        connection = await engine.get_new_connection()  # type: ignore[attr-defined]
        try:
            await connection.copy_records_to_table(table, records=rows, columns=columns)
        finally:
            await connection.close()
        return
    connection = await engine.get_connection()  # type: ignore[attr-defined]
    try:
        await connection.execute("BEGIN IMMEDIATE")
        await connection.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                                     f"({', '.join('?' for _ in columns)})", rows)
        await connection.commit()
    finally:
        await engine.release(connection)  # type: ignore[attr-defined]


async def build_org(index: int, offices: int, per_office: int, bookings_per_calendar: int,
                    rng: random.Random) -> dict[str, Any]:
    email = f"gerant{index}@bench.example"
    user = await tenancy.create_user(email, PASSWORD)
    organisation = await tenancy.create_organisation(f"Organisation {index}", user, f"Gérant {index}")
    office_ids = [row["id"] for row in await Office.select(Office.id).where(Office.organisation == organisation.id)]
    while len(office_ids) < offices:
        office = Office(organisation=organisation.id, name=f"Site {len(office_ids) + 1}")
        await office.save()
        office_ids.append(office.id)
    calendar_ids: list[int] = []
    by_office: dict[int, list[int]] = {}
    for office_id in office_ids:
        for n in range(per_office):
            created = await cal.create_calendar(organisation.id, office_id, f"Agent {n + 1}",
                                                capacity=3 if n % 10 == 0 else 1)
            calendar_ids.append(created.id)
            by_office.setdefault(office_id, []).append(created.id)
    pg = db.is_postgres()
    rules, bookings = [], []
    clock = LocalClock(PARIS)
    for cid in calendar_ids:
        openings: list[tuple[int, int]] = []
        for first, until in PERIODS:
            for weekday in range(5):
                for start, end in HALVES:
                    first_day = first + timedelta(days=(weekday - first.weekday()) % 7)
                    skip = {(first_day + timedelta(weeks=3)).isoformat(): None} if rng.random() < 0.1 else {}
                    rules.append((organisation.id, cid, start, end, first_day if pg else first_day.isoformat(),
                                  "WEEKLY", 1, ["MO", "TU", "WE", "TH", "FR"][weekday],
                                  until if pg else until.isoformat(), None, msgspec.json.encode(skip).decode(), "",
                                  "", None, first_day if pg else first_day.isoformat(),
                                  until if pg else until.isoformat()))
                    byday = parse_byday(["MO", "TU", "WE", "TH", "FR"][weekday])
                    recurrence = Recurrence(first_day, "WEEKLY", 1, byday, until)
                    for day in recurrence.dates(date(YEAR, 3, 1), date(YEAR, 3, 31)):
                        if day.isoformat() not in skip:
                            openings.append((clock.ts(day, start), clock.ts(day, end)))
        grid = [t for s, e in openings for t in range(s, e - DURATION * 60 + 1, DURATION * 60)]
        for t in rng.sample(grid, min(bookings_per_calendar, len(grid))):
            bookings.append((organisation.id, by_office_of(by_office, cid), cid, t, t + DURATION * 60, 1,
                             "confirmed", "Usager", "bench", "", False, "[]"))
        for _ in range(bookings_per_calendar // 2):  # history in February
            t = rng.choice(grid) - 31 * 86400
            bookings.append((organisation.id, by_office_of(by_office, cid), cid, t, t + DURATION * 60, 1,
                             "confirmed", "Usager", "bench", "", False, "[]"))
    await insert_many("core_calendar_rule", ["organisation", "calendar", "start_minute", "end_minute", "first_date",
                                             "freq", "every", "byday", "until", "count", "exceptions", "tags",
                                             "location", "capacity", "span_start", "span_end"], rules)
    await insert_many("core_calendar_booking", ["organisation", "office", "calendar", "start_ts", "end_ts", "seats",
                                                "status", "label", "source_plugin", "source_ref", "outside_hours",
                                                "history"], bookings)
    for office_id in office_ids:  # one office-wide afternoon closure in March
        await cal.add_closure(organisation.id, office_id, cal.ClosureIn(first_date=date(YEAR, 3, 12), start="14:00",
                                                                        end="18:00", reason="Formation"))
    return {"organisation_id": organisation.id, "email": email, "office_ids": office_ids,
            "calendar_ids": calendar_ids, "by_office": by_office, "rules": len(rules),
            "march_bookings": sum(1 for b in bookings if b[3] >= MARCH[0].timestamp())}


def by_office_of(by_office: dict[int, list[int]], cid: int) -> int:
    return next(office for office, ids in by_office.items() if cid in ids)


async def median(label: str, runs: int, action: Callable[[], Awaitable[Any]]) -> float:
    await action()  # warm-up
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        result = await action()
        timings.append((time.perf_counter() - started) * 1000)
    value = statistics.median(timings)
    size = len(result) if isinstance(result, list | bytes) else ("1 slot" if result is not None else "none")
    print(f"  {label:<58} {value:8.1f} ms   ({size})")
    return value


async def _encoded(search: Awaitable[Any]) -> bytes:
    return msgspec.json.encode(await search)


async def _forgetting(search: Awaitable[Any]) -> Any:
    """`search` run with the sweep memo and the rule expansion cache emptied first."""
    forget_memos()
    return await search


async def floor(organisation_id: int, ids: list[int], start: datetime, end: datetime, result: Any) -> bytes:
    """The four reads the search makes (the very same queries, results left unprocessed) + encoding the
    result it returns."""
    s, e = int(start.timestamp()), int(end.timestamp())
    first, last = loading.window(s, e)
    id_sql = id_list(ids)
    await fetch(*loading.calendars_query(organisation_id, id_sql))
    await fetch(*loading.rules_query(id_sql, first, last))
    offices = id_list({row[0] for row in await fetch(f"SELECT office FROM core_calendar WHERE id IN ({id_sql})")})
    await fetch(*loading.closures_query(offices, id_sql, first, last))
    await fetch(*loading.bookings_query(id_sql, s, e))
    return msgspec.json.encode(result)


async def plain_reads(organisation_id: int, ids: list[int], start: datetime, end: datetime,
                      result: list[Any]) -> bytes:
    """The same records read one row each (as the search did before it aggregated rules and bookings per
    calendar) + encoding the result: the floor as first defined."""
    s, e = int(start.timestamp()), int(end.timestamp())
    first, last = loading.window(s, e)
    id_sql = id_list(ids)
    await fetch(*loading.calendars_query(organisation_id, id_sql))
    await fetch("SELECT calendar, start_minute, end_minute, first_date, freq, every, byday, until, count, exceptions, "
                f"tags, location, capacity FROM core_calendar_rule WHERE calendar IN ({id_sql}) "
                "AND span_start <= ? AND (span_end IS NULL OR span_end >= ?)", (date_arg(last), date_arg(first)))
    offices = id_list({row[0] for row in await fetch(f"SELECT office FROM core_calendar WHERE id IN ({id_sql})")})
    await fetch(*loading.closures_query(offices, id_sql, first, last))
    await fetch(f"SELECT calendar, start_ts, end_ts, seats FROM core_calendar_booking WHERE calendar IN ({id_sql}) "
                "AND start_ts >= ? AND start_ts < ? AND end_ts > ? AND status = 'confirmed'",
                (s - loading.LOOK_BACK_SECONDS, e, s))
    return msgspec.json.encode(result)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(database_url: str, data_dir: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SOCLE_DATABASE_URL": database_url, "SOCLE_DATA_DIR": data_dir,
           "SOCLE_SECRET_KEY": "bench-secret-" + "x" * 30, "SOCLE_RUN_WORKER": "0"}
    code = ("import uvicorn; from core.config import Settings; from core.web import create_app; "
            f"uvicorn.run(create_app(Settings.from_env()), host='127.0.0.1', port={port}, log_level='warning')")
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.1):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("uvicorn did not start")


async def run(args: argparse.Namespace) -> None:
    tmp = tempfile.mkdtemp(prefix="socle-bench-")
    server = None
    if args.db == "postgres":
        from core.testing.postgres import PostgresServer

        server = PostgresServer.start()
        url = server.create_database("bench")
    else:
        url = f"sqlite:///{tmp}/bench.sqlite"
    engine = db.create_engine(url)
    db.bind(engine, db.all_tables(db.app_configs()))
    await db.start(engine)
    uvicorn = None
    try:
        await db.migrate()
        rng = random.Random(4)
        started = time.perf_counter()
        busy = await build_org(0, offices=4, per_office=50, bookings_per_calendar=200, rng=rng)
        for index in range(1, 10):
            await build_org(index, offices=1, per_office=20, bookings_per_calendar=50, rng=rng)
        await fetch("ANALYZE")
        print(f"{args.db}: built in {time.perf_counter() - started:.1f} s — busy org: {len(busy['calendar_ids'])} "
              f"calendars, {busy['rules']} rules, {busy['march_bookings']} bookings in March {YEAR}; 9 other orgs")
        org, ids = busy["organisation_id"], busy["calendar_ids"]
        one = ids[1]
        three_months = (MARCH[0], datetime(YEAR, 6, 1, tzinfo=PARIS))
        week = (datetime(YEAR, 3, 8, tzinfo=PARIS), datetime(YEAR, 3, 15, tzinfo=PARIS))
        month_result = await cal.search_slots(org, ids, *MARCH, DURATION, now=NOW)
        occurrences = sum(1 for _ in month_result)
        print(f"  month search returns {occurrences} free slots\n\nservice (in-process)")
        figures: dict[str, float] = {}
        figures["month"] = await median("month search, 200 calendars", args.runs,
                                        lambda: cal.search_slots(org, ids, *MARCH, DURATION, now=NOW))
        figures["week"] = await median("one-week search, 1 calendar", args.runs,
                                       lambda: cal.search_slots(org, [one], *week, DURATION, now=NOW))
        figures["first"] = await median("first free slot, 200 calendars, within 3 months", args.runs,
                                        lambda: cal.first_free_slot(org, ids, DURATION, start=MARCH[0], now=NOW))
        figures["multi"] = await median("3-month multi-site search (4 offices, 200 calendars)", args.runs,
                                        lambda: cal.search_slots(org, ids, *three_months, DURATION, now=NOW))
        print("floor (the search's own four reads + result encoded)")
        figures["floor_month"] = await median("month, 200 calendars", args.runs,
                                              lambda: floor(org, ids, *MARCH, month_result))
        three_result = await cal.search_slots(org, ids, *three_months, DURATION, now=NOW)
        figures["floor_multi"] = await median("3 months, 200 calendars", args.runs,
                                              lambda: floor(org, ids, *three_months, three_result))
        compact_result = await cal.search_slot_runs(org, ids, *MARCH, DURATION, now=NOW)
        runs = sum(len(r) for r in compact_result.calendars.values())
        print(f"compact form (format=compact): {runs} runs for {occurrences} slots, "
              f"{len(msgspec.json.encode(compact_result)) / 1000:.0f} kB vs "
              f"{len(msgspec.json.encode(month_result)) / 1000:.0f} kB of JSON")
        figures["compact"] = await median("month search, 200 calendars, compact + encoded", args.runs,
                                          lambda: _encoded(cal.search_slot_runs(org, ids, *MARCH, DURATION, now=NOW)))
        figures["compact_first"] = await median(
            "the same, memos empty (a first search, as after a restart)", args.runs,
            lambda: _encoded(_forgetting(cal.search_slot_runs(org, ids, *MARCH, DURATION, now=NOW))))
        figures["floor_compact"] = await median("floor: its four reads + compact result encoded", args.runs,
                                                lambda: floor(org, ids, *MARCH, compact_result))
        figures["floor_reads"] = await median("floor: its four reads alone", args.runs,
                                              lambda: floor(org, ids, *MARCH, []))
        print("plain reads (the same records one row each + result encoded)")
        figures["plain_month"] = await median("month, 200 calendars", args.runs,
                                              lambda: plain_reads(org, ids, *MARCH, month_result))

        port = free_port()
        uvicorn = start_server(url, tmp, port)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            token = (await client.post("/api/v1/auth/token", json={"email": busy["email"], "password": PASSWORD}))
            headers = {"Authorization": f"Bearer {token.json()['token']}"}
            id_text = ",".join(map(str, ids))
            first_office = busy["office_ids"][0]

            async def get(path: str, params: dict[str, Any]) -> bytes:
                response = await client.get(path + "?" + urlencode(params), headers=headers)
                assert response.status_code == 200, response.text
                return response.content

            print(f"HTTP (uvicorn on loopback, {'PostgreSQL' if server else 'SQLite'})")
            figures["http_month"] = await median("GET month search, 200 calendars", args.runs, lambda: get(
                "/api/v1/calendars/slots", {"calendar_ids": id_text, "start": MARCH[0].isoformat(),
                                            "end": MARCH[1].isoformat(), "duration": DURATION}))
            figures["http_compact"] = await median("GET month search, 200 calendars, format=compact", args.runs,
                                                   lambda: get("/api/v1/calendars/slots", {
                                                       "calendar_ids": id_text, "start": MARCH[0].isoformat(),
                                                       "end": MARCH[1].isoformat(), "duration": DURATION,
                                                       "format": "compact"}))
            await median("GET one-week search, 1 calendar", args.runs, lambda: get(
                f"/api/v1/offices/{first_office}/calendars/slots", {"calendar_ids": str(ids[0]),
                                                                    "start": week[0].isoformat(),
                                                                    "end": week[1].isoformat(),
                                                                    "duration": DURATION}))
            await median("GET first free slot, 50 calendars of one office", args.runs, lambda: get(
                f"/api/v1/offices/{first_office}/calendars/first-free",
                {"duration": DURATION, "start": MARCH[0].isoformat()}))
            await median("GET 3-month multi-site search, 200 calendars", args.runs, lambda: get(
                "/api/v1/calendars/slots", {"calendar_ids": id_text, "start": three_months[0].isoformat(),
                                            "end": three_months[1].isoformat(), "duration": DURATION}))
        for label, base in (("floor", figures["floor_month"]), ("plain reads", figures["plain_month"])):
            print(f"month search / {label}: service {figures['month'] / base:.2f}×, "
                  f"HTTP {figures['http_month'] / base:.2f}×")
        for label, base in (("floor with its result", figures["floor_compact"]),
                            ("reads alone", figures["floor_reads"])):
            print(f"compact month search / {label}: service {figures['compact'] / base:.2f}×, "
                  f"HTTP {figures['http_compact'] / base:.2f}×")
        print(f"first compact month search (memos empty) / floor with its result: service "
              f"{figures['compact_first'] / figures['floor_compact']:.2f}×")
        print("goals: ≤ 100 ms end-to-end on SQLite, ≤ 2× the floor in process, ≤ 1.5× over HTTP")
    finally:
        if uvicorn is not None:
            uvicorn.terminate()
            uvicorn.wait()
        await db.stop(engine)
        if server is not None:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--runs", type=int, default=7)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
