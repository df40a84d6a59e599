"""rdv_service_public: (1) the public slot page of one motif over a month in an organisation with 200 agents
(median end-to-end latency through uvicorn on SQLite, goal ≤ 150 ms) and (2) booking throughput under
concurrent load with the number of double bookings (must be 0).

Usage: .venv/bin/python bench/rdv.py [--agents 200] [--requests 40] [--bookings 400] [--concurrency 32]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time as clock
from datetime import date, datetime, time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.api_reads import free_port, serve  # noqa: E402


async def seed(data_dir: Path, agents: int, occupancy: float = 0.0) -> tuple[str, int]:
    """One town hall, `agents` agents open Mon–Fri 9–12 and 14–17 for one online motif, with `occupancy` of
    their half-hours over the next five weeks already booked; returns (slug, motif)."""
    from core import db
    from core.config import Settings
    from core.modules.activation import set_active
    from core.plugins import PluginManager
    from core.tenancy import services
    from core.tenancy.actor import Actor
    from core.tenancy.roles import Role
    from plugins.rdv_service_public.services import config, motifs, plages
    from plugins.rdv_service_public.services.common import Ctx

    url = os.environ.get("SOCLE_DATABASE_URL")
    settings = Settings.from_env({"SOCLE_DATA_DIR": str(data_dir), **({"SOCLE_DATABASE_URL": url} if url else {})})
    modules = PluginManager(settings).load().app_modules()
    engine = db.create_engine(settings.database_url)
    db.bind(engine, db.all_tables(db.app_configs(modules)))
    await db.migrate(modules)
    owner = await services.create_user("maire@bench.example", "mot-de-passe-bench")
    organisation = await services.create_organisation("Mairie Bench", owner, "Maire", slug="mairie-bench")
    actor = Actor(owner.id, owner.email, 0, organisation.id, Role.owner, "Maire")
    office = (await services.visible_offices(actor))[0]
    async with db.write_transaction():
        await set_active(organisation.id, office.id, "rdv_service_public", True)
    c = Ctx(organisation.id, office.id, "Europe/Paris", actor)
    service = await config.save_service(c, {"name": "État civil"})
    lieu = await config.save_lieu(c, {"name": "Hôtel de ville", "address": "Place de la Mairie"})
    motif = await motifs.save(c, {"name": "Passeport", "service_id": service.id, "duration_minutes": 30,
                                  "online": True, "min_delay_minutes": 30, "max_delay_minutes": 60 * 24 * 60})
    monday = date.today() - timedelta(days=date.today().weekday())
    for n in range(agents):
        member, _ = await services.invite_member(actor, "intervenant", f"Agent {n:03d}", None, None, [office.id])
        for start, end in (("09:00", "12:00"), ("14:00", "17:00")):
            await plages.save(c, {"member_id": member.id, "weekdays": [0, 1, 2, 3, 4], "first_day": monday,
                                  "start_time": start, "end_time": end, "lieu_id": lieu.id,
                                  "motif_ids": [motif.id]})
    await book_ahead(organisation.id, office.id, monday, occupancy)
    await db.stop(engine)
    return "mairie-bench", motif.id


async def book_ahead(organisation_id: int, office_id: int, monday: date, occupancy: float) -> None:
    """Existing appointments: a random `occupancy` share of every agent's half-hours (core bookings only)."""
    from zoneinfo import ZoneInfo

    from piccolo.querystring import QueryString

    from core import db

    paris, rng = ZoneInfo("Europe/Paris"), random.Random(7)
    calendars = [row["id"] for row in await db.fetch("SELECT id FROM core_calendar WHERE office = {}", office_id)]
    grid = [int(datetime.combine(monday + timedelta(days=d), time(h), paris).timestamp()) + half * 1800
            for d in range(35) if d % 7 < 5 for h in (9, 10, 11, 14, 15, 16) for half in (0, 1)]
    rows = [(organisation_id, office_id, cid, t, t + 1800)
            for cid in calendars for t in grid if rng.random() < occupancy]
    async with db.write_transaction():
        for chunk in range(0, len(rows), 500):
            values = ",".join(f"({o}, {f}, {c}, {s}, {e}, 1, 'confirmed', 'Usager', 'bench', '', false, '[]')"
                              for o, f, c, s, e in rows[chunk:chunk + 500])
            await db.engine().run_querystring(QueryString(
                "INSERT INTO core_calendar_booking (organisation, office, calendar, start_ts, end_ts, seats, status, "
                f"label, source_plugin, source_ref, outside_hours, history) VALUES {values}"))


async def measure_page(base: str, path: str, requests: int) -> list[float]:
    import httpx

    timings = []
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        await client.get(path)  # warm-up
        for _ in range(requests):
            started = clock.perf_counter()
            response = await client.get(path)
            timings.append((clock.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.text[:300]
    return timings


async def hammer(base: str, slug: str, motif_id: int, bookings: int, concurrency: int,
                 spread: int) -> tuple[float, dict[int, int]]:
    """`bookings` online bookings on `spread` slots taken from the middle of the month, `concurrency` at a time
    (with one slot and more requests than agents, the extra ones must get 409)."""
    import httpx

    prefix = f"/public/o/{slug}/m/rdv_service_public"
    async with httpx.AsyncClient(base_url=base, timeout=60,
                                 limits=httpx.Limits(max_connections=concurrency)) as client:
        found = (await client.get(f"{prefix}/api/motifs/{motif_id}/slots")).json()
        slots = found[len(found) // 2:len(found) // 2 + spread]
        gate = asyncio.Semaphore(concurrency)
        statuses: dict[int, int] = {}

        async def one(n: int) -> None:
            slot = random.choice(slots)
            async with gate:
                response = await client.post(f"{prefix}/api/rdvs", json={
                    "motif_id": motif_id, "starts_at": slot["starts_at"], "citizen_name": f"Usager {n}",
                    "citizen_email": f"usager{n}@bench.example"})
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        started = clock.perf_counter()
        await asyncio.gather(*[one(n) for n in range(bookings)])
        return clock.perf_counter() - started, statuses


def double_bookings(data_dir: Path) -> int:
    import sqlite3

    connection = sqlite3.connect(data_dir / "socle.sqlite")
    rows = connection.execute("""SELECT member, starts_at, COUNT(*) FROM rdv_service_public_rdv
                                 WHERE status != 'annule' GROUP BY member, starts_at HAVING COUNT(*) > 1""").fetchall()
    return len(rows)


def start_socle(data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Socle under uvicorn on a free loopback port, on the seeded data directory: (process, base URL)."""
    port = free_port()
    env = {**os.environ, "SOCLE_DATA_DIR": str(data_dir), "SOCLE_SECRET_KEY": "bench-" + "x" * 32,
           "PYTHONPATH": str(ROOT)}
    return serve("bench._apps:socle_app", port, env), f"http://127.0.0.1:{port}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--bookings", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--occupancy", type=float, default=0.5, help="share of half-hours already booked")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        started = clock.perf_counter()
        slug, motif_id = asyncio.run(seed(data_dir, args.agents, args.occupancy))
        print(f"seed: {args.agents} agents, 2 plages each, {args.occupancy:.0%} of their half-hours booked, "
              f"in {clock.perf_counter() - started:.1f} s")
        server, base = start_socle(data_dir)
        try:
            page = f"/public/o/{slug}/m/rdv_service_public/motifs/{motif_id}/creneaux"
            timings = asyncio.run(measure_page(base, page, args.requests))
            print(f"public slot page, one motif over a month, {args.agents} agents: median "
                  f"{statistics.median(timings):.1f} ms, p90 {statistics.quantiles(timings, n=10)[-1]:.1f} ms "
                  f"({args.requests} requests, goal ≤ 150 ms median)")
            api = f"/public/o/{slug}/m/rdv_service_public/api/motifs/{motif_id}/slots"
            timings = asyncio.run(measure_page(base, api, args.requests))
            print(f"public slots JSON, same month: median {statistics.median(timings):.1f} ms")
            for spread, count in ((20, args.bookings), (1, args.agents + 50)):
                elapsed, statuses = asyncio.run(hammer(base, slug, motif_id, count, args.concurrency, spread))
                print(f"concurrent bookings on {spread} slot(s): {count} requests, {args.concurrency} at a time, "
                      f"{count / elapsed:.0f} req/s; statuses {dict(sorted(statuses.items()))}; "
                      f"double bookings: {double_bookings(data_dir)}")
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
