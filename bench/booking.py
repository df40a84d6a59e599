"""Booking cost: (1) in process, the median latency of one online booking through rdv_service_public
(`public.book`: find a free agenda at that start, take its place, record the appointment, queue the emails)
and of `calendar.book` alone; (2) over HTTP, bookings per second with `--processes` uvicorn processes on one
database, `--concurrency` requests at a time, and the number of double bookings (must be 0).

(3) with `--floor`, the machine's floor for the same client: requests/s and server CPU per request of a bare
Litestar hello-world and of the Socle app's `/healthz` in one uvicorn process (what 200 bookings/s is held to).

(4) with `--wrk SECONDS`, bookings/s on every free start with wrk as the client: httpx costs about 1.5 ms of
CPU per request, which on a two-core machine takes from the servers and the database what it measures.

Usage: .venv/bin/python bench/booking.py [--db sqlite|postgres] [--agents 50] [--bookings 200]
                                         [--http 600] [--processes 1] [--concurrency 32] [--floor]
                                         [--wrk SECONDS] [--serve granian|uvicorn]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time as clock
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.api_reads import cpu_seconds, launch, tree_cpu_seconds  # noqa: E402
from bench.rdv import seed  # noqa: E402

PARIS = ZoneInfo("Europe/Paris")


def _settings(data_dir: Path, url: str | None) -> Any:
    from core.config import Settings

    return Settings.from_env({"SOCLE_DATA_DIR": str(data_dir), **({"SOCLE_DATABASE_URL": url} if url else {})})


def _report(label: str, times: list[float], cpu: float) -> None:
    """Wall-clock median and p90, and the CPU time per booking (time.process_time: less noisy on a shared machine)."""
    times.sort()
    print(f"  {label:<44} median {statistics.median(times):6.2f} ms   p90 {times[int(len(times) * 0.9)]:6.2f} ms"
          f"   CPU {cpu * 1000 / len(times):5.2f} ms/booking")


async def in_process(data_dir: Path, url: str | None, motif_id: int, bookings: int, show_sql: bool = False) -> None:
    """Sequential online bookings on distinct free starts, then core bookings on a free calendar."""
    from core import calendar as cal
    from core import db
    from core.plugins import PluginManager
    from plugins.rdv_service_public.services import public
    from plugins.rdv_service_public.tables import Motif

    settings = _settings(data_dir, url)
    modules = PluginManager(settings).load().app_modules()
    engine = db.create_engine(settings.database_url)
    db.bind(engine, db.all_tables(db.app_configs(modules)))
    await db.start(engine)
    try:
        motif = await Motif.objects().where(Motif.id == motif_id).first()
        assert motif is not None
        c, motif = await public.motif_ctx(motif.organisation, [motif.office], motif.id)
        starts = sorted({s.start for s in await public.slots(c, motif, None)})[: bookings]
        times: list[float] = []
        counts: list[int] = []
        cpu = clock.process_time()
        for n, start in enumerate(starts):
            with db.count_statements() as seen:
                began = clock.perf_counter()
                await public.book(c, motif, {"starts_at": start.isoformat(), "citizen_name": f"Usager {n}",
                                             "citizen_email": f"usager{n}@bench.example"})
                times.append((clock.perf_counter() - began) * 1000)
            counts.append(len(seen))
            if show_sql and n == 1:
                print("\n".join(f"    {query[:160]}" for query in seen))
        _report(f"online booking (rdv public.book), {len(times)} bookings", times, clock.process_time() - cpu)
        if counts:
            print(f"  SQL statements per online booking (SQLite counter): median {statistics.median(counts):.0f}")
        calendar = await cal.create_calendar(c.organisation_id, c.office_id, "Bench", capacity=1)
        first = date.today() + timedelta(days=7)
        await cal.add_opening_rule(c.organisation_id, calendar.id, cal.RuleIn(
            start="00:00", end="24:00", first_date=first, freq="DAILY"))
        times = []
        cpu = clock.process_time()
        for n in range(bookings):
            start = datetime.combine(first, datetime.min.time(), PARIS) + timedelta(minutes=30 * n)
            began = clock.perf_counter()
            await cal.book(c.organisation_id, calendar.id, start, start + timedelta(minutes=30))
            times.append((clock.perf_counter() - began) * 1000)
        _report(f"calendar.book alone, {bookings} bookings", times, clock.process_time() - cpu)
    finally:
        await db.stop(engine)


def _postgres_cpu_seconds() -> float:
    """CPU time so far of every live `postgres` process of the machine (the throwaway server's backends: the
    database's share of a booking, which the same cores pay)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # gone meanwhile
            continue
        if text.partition("(")[2].startswith("postgres)"):
            fields = text.rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _socle_serve(port: int, server: str, workers: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """`socle serve` as deployed: `workers` processes on one port (with several, the metrics are shared through
    files: prometheus-client's multiprocess mode)."""
    command = [str(Path(sys.executable).with_name("socle")), "serve", "--server", server, "--port", str(port),
               "--workers", str(workers)]
    return launch(command, env, f"http://127.0.0.1:{port}/healthz", pin=False)


def _serve(port: int, env: dict[str, str], factory: str = "bench._apps:socle_app") -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "uvicorn", "--factory", factory, "--port", str(port),
               "--log-level", "warning", "--no-access-log"]
    return launch(command, env, f"http://127.0.0.1:{port}/", pin=False)  # several processes share the cores


async def hammer(bases: list[str], slug: str, motif_id: int, requests: int, concurrency: int,
                 spread: int) -> tuple[float, dict[int, int]]:
    """`requests` online bookings on `spread` starts, spread over the processes in turn."""
    import random

    import httpx

    prefix = f"/public/o/{slug}/m/rdv_service_public"
    clients = [httpx.AsyncClient(base_url=base, timeout=60, limits=httpx.Limits(max_connections=concurrency))
               for base in bases]
    try:
        found = (await clients[0].get(f"{prefix}/api/motifs/{motif_id}/slots")).json()
        starts = sorted({s["starts_at"] for s in found})
        chosen = starts[len(starts) // 3: len(starts) // 3 + spread]
        gate = asyncio.Semaphore(concurrency)
        statuses: dict[int, int] = {}

        async def one(n: int) -> None:
            async with gate:
                response = await clients[n % len(clients)].post(f"{prefix}/api/rdvs", json={
                    "motif_id": motif_id, "starts_at": random.choice(chosen), "citizen_name": f"Usager {n}",
                    "citizen_email": f"usager{n}@bench.example"})
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        began = clock.perf_counter()
        await asyncio.gather(*(one(n) for n in range(requests)))
        return clock.perf_counter() - began, statuses
    finally:
        for client in clients:
            await client.aclose()


_WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local starts = {%(starts)s}
local n = 0
math.randomseed(%(seed)d)
request = function()
  n = n + 1
  return wrk.format(nil, "%(path)s", nil, string.format(
    '{"motif_id": %(motif)d, "starts_at": "%%s", "citizen_name": "Usager %(seed)d-%%d", '
    .. '"citizen_email": "usager%(seed)d-%%d@bench.example"}', starts[math.random(#starts)], n, n))
end
"""


def wrk_hammer(bases: list[str], slug: str, motif_id: int, seconds: int, concurrency: int,
               starts: list[str]) -> tuple[int, int]:
    """Online bookings for `seconds` on random `starts`, one wrk process per port (a load generator in C:
    httpx's own CPU, about 1.5 ms per request, would otherwise take the cores the servers are measured on);
    returns (requests completed, non-2xx responses)."""
    import re

    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed (apt-get install wrk, or make system-packages)")
    path = f"/public/o/{slug}/m/rdv_service_public/api/rdvs"
    listed = ", ".join(f'"{start}"' for start in starts)
    with tempfile.TemporaryDirectory() as folder:
        runs = []
        for n, base in enumerate(bases):
            script = Path(folder) / f"book{n}.lua"
            script.write_text(_WRK_SCRIPT % {"starts": listed, "seed": n, "path": path, "motif": motif_id})
            runs.append(subprocess.Popen(
                ["wrk", "-t1", f"-c{max(1, concurrency // len(bases))}", f"-d{seconds}s", "-s", str(script), base],
                stdout=subprocess.PIPE, text=True))
        outputs = [run.communicate()[0] for run in runs]
    requests = sum(int(re.search(r"(\d+) requests in", out).group(1)) for out in outputs)  # type: ignore[union-attr]
    refused = sum(int(m.group(1)) for out in outputs if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)))
    return requests, refused


async def _gets(base: str, path: str, requests: int, concurrency: int) -> float:
    """`requests` GETs of `path`, `concurrency` at a time, with the client the booking load uses; seconds."""
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=60,
                                 limits=httpx.Limits(max_connections=concurrency)) as client:
        gate = asyncio.Semaphore(concurrency)

        async def one() -> None:
            async with gate:
                (await client.get(path)).raise_for_status()

        began = clock.perf_counter()
        await asyncio.gather(*(one() for _ in range(requests)))
        return clock.perf_counter() - began


def floor(env: dict[str, str], requests: int, concurrency: int) -> None:
    """The same client against a hello-world and the Socle app's /healthz: the rate this machine allows."""
    from core.testing.postgres import free_port

    for label, factory, path in (("Litestar hello-world", "bench._apps:hello_app", "/hello"),
                                 ("Socle app GET /healthz", "bench._apps:socle_app", "/healthz")):
        port = free_port()
        process = _serve(port, env, factory)
        try:
            asyncio.run(_gets(f"http://127.0.0.1:{port}", path, 100, concurrency))  # warm-up
            cpu = cpu_seconds(process.pid)
            elapsed = asyncio.run(_gets(f"http://127.0.0.1:{port}", path, requests, concurrency))
            cpu = cpu_seconds(process.pid) - cpu
        finally:
            process.terminate()
            process.wait(10)
        print(f"  floor, {label}: {requests / elapsed:.0f} req/s, server CPU {cpu * 1000 / requests:.2f} ms per "
              f"request (≈ {requests / cpu if cpu else 0:.0f} per CPU-second)")


def wrk_run(servers: list[subprocess.Popen[bytes]], bases: list[str], slug: str, motif_id: int, seconds: int,
            concurrency: int, data_dir: Path, url: str | None) -> None:
    """Bookings/s with a client that leaves the cores to the servers and the database; the bookings are
    counted in the database, not from the responses."""
    import json
    import urllib.request

    prefix = f"{bases[0]}/public/o/{slug}/m/rdv_service_public"
    with urllib.request.urlopen(f"{prefix}/api/motifs/{motif_id}/slots") as response:
        starts = sorted({slot["starts_at"] for slot in json.load(response)})
    before = appointments(data_dir, url)
    cpu = sum(tree_cpu_seconds(process.pid) for process in servers)
    database = _postgres_cpu_seconds()
    requests, refused = wrk_hammer(bases, slug, motif_id, seconds, concurrency, starts)
    cpu = sum(tree_cpu_seconds(process.pid) for process in servers) - cpu
    database = _postgres_cpu_seconds() - database
    booked = appointments(data_dir, url) - before
    others = f", PostgreSQL {database * 1000 / requests:.2f} ms" if url else ""
    print(f"  HTTP, wrk, {len(bases)} port(s), {len(starts)} starts: {requests} requests in {seconds} s, "
          f"{concurrency} at a time: {requests / seconds:.0f} req/s, {booked / seconds:.0f} bookings/s "
          f"({booked} appointments recorded, {refused} refused)")
    print(f"  CPU per request: the app servers {cpu * 1000 / requests:.2f} ms{others}")


async def _counts(data_dir: Path, url: str | None, *queries: str) -> list[int]:
    """The `n` column of each query, on the bench's database."""
    from core import db
    from core.plugins import PluginManager

    settings = _settings(data_dir, url)
    engine = db.create_engine(settings.database_url)
    db.bind(engine, db.all_tables(db.app_configs(PluginManager(settings).load().app_modules())))
    await db.start(engine)
    try:
        return [int((await db.fetch(query))[0]["n"]) for query in queries]
    finally:
        await db.stop(engine)


def appointments(data_dir: Path, url: str | None) -> int:
    """Appointments recorded so far."""
    return asyncio.run(_counts(data_dir, url, "SELECT count(*) AS n FROM rdv_service_public_rdv"))[0]


def double_bookings(data_dir: Path, url: str | None) -> int:
    """Agendas holding two live appointments that overlap, and core bookings above capacity (pairwise)."""
    return sum(asyncio.run(_counts(
        data_dir, url,
        "SELECT count(*) AS n FROM rdv_service_public_rdv a JOIN rdv_service_public_rdv b ON a.id < b.id "
        "AND a.member = b.member AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at "
        "WHERE a.status <> 'annule' AND b.status <> 'annule'",
        "SELECT count(*) AS n FROM core_calendar_booking a JOIN core_calendar_booking b ON a.id < b.id "
        "AND a.calendar = b.calendar AND a.start_ts < b.end_ts AND b.start_ts < a.end_ts "
        "JOIN core_calendar c ON c.id = a.calendar AND c.capacity = 1 "
        "WHERE a.status = 'confirmed' AND b.status = 'confirmed'")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--agents", type=int, default=50)
    parser.add_argument("--bookings", type=int, default=200, help="in-process bookings (0: skip)")
    parser.add_argument("--http", type=int, default=600, help="HTTP booking requests (0: skip)")
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--show-sql", action="store_true", help="print the statements of one online booking")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--wrk", type=int, default=0, metavar="SECONDS",
                        help="also book for SECONDS with wrk (a client in C) on every free start")
    parser.add_argument("--serve", choices=["granian", "uvicorn"],
                        help="run `socle serve --server SERVE --workers N` (one port, as deployed) instead of one "
                             "uvicorn process per port")
    parser.add_argument("--floor", action="store_true", help="also measure a hello-world and /healthz")
    args = parser.parse_args()
    server = None
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        url = None
        if args.db == "postgres":
            from core.testing.postgres import PostgresServer

            server = PostgresServer.start()
            url = server.create_database("bench")
        try:
            began = clock.perf_counter()
            os.environ.pop("SOCLE_DATABASE_URL", None)
            if url:
                os.environ["SOCLE_DATABASE_URL"] = url
            slug, motif_id = asyncio.run(seed(data_dir, args.agents, 0.5))
            print(f"{args.db}: {args.agents} agents, half of their half-hours booked; seeded in "
                  f"{clock.perf_counter() - began:.1f} s")
            if args.bookings:
                asyncio.run(in_process(data_dir, url, motif_id, args.bookings, args.show_sql))
            env = {**os.environ, "SOCLE_DATA_DIR": str(data_dir), "SOCLE_SECRET_KEY": "bench-" + "x" * 32,
                   "PYTHONPATH": str(ROOT), **({"SOCLE_DATABASE_URL": url} if url else {})}
            if args.floor:
                floor(env, max(args.http, 600), args.concurrency)
            if args.http or args.wrk:
                from core.testing.postgres import free_port

                if args.serve:
                    ports = [free_port()]
                    servers = [_socle_serve(ports[0], args.serve, args.processes, env)]
                else:
                    ports = [free_port() for _ in range(args.processes)]
                    servers = [_serve(port, env) for port in ports]
                try:
                    bases = [f"http://127.0.0.1:{port}" for port in ports]
                    for spread, count in ((40, args.http), (1, args.agents + 50)) if args.http else ():
                        cpu = sum(tree_cpu_seconds(process.pid) for process in servers)
                        database, client = _postgres_cpu_seconds(), clock.process_time()
                        elapsed, statuses = asyncio.run(hammer(bases, slug, motif_id, count, args.concurrency,
                                                               spread))
                        cpu = sum(tree_cpu_seconds(process.pid) for process in servers) - cpu
                        database, client = _postgres_cpu_seconds() - database, clock.process_time() - client
                        print(f"  HTTP, {args.processes} process(es), {spread} start(s): {count} requests, "
                              f"{args.concurrency} at a time: {count / elapsed:.0f} req/s, "
                              f"{statuses.get(201, 0) / elapsed:.0f} bookings/s; statuses "
                              f"{dict(sorted(statuses.items()))}")
                        print(f"  HTTP server CPU (all processes, with the in-process worker unless "
                              f"SOCLE_RUN_WORKER=0): {cpu * 1000 / count:.2f} ms per request "
                              f"(≈ {count / cpu if cpu else 0:.0f} requests per CPU-second)")
                        others = f", PostgreSQL {database * 1000 / count:.2f} ms" if url else ""
                        print(f"  the same requests' CPU elsewhere on this machine: the httpx client "
                              f"{client * 1000 / count:.2f} ms{others} per request")
                    if args.wrk:
                        wrk_run(servers, bases, slug, motif_id, args.wrk, args.concurrency, data_dir, url)
                finally:
                    for process in servers:
                        process.terminate()
                        process.wait(10)
                print(f"  double bookings: {double_bookings(data_dir, url)}")
        finally:
            if server is not None:
                server.stop()
    _ = shutil


if __name__ == "__main__":
    main()
