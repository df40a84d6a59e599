"""A small cluster on one machine: `socle serve --workers 2` (two app processes) and two `socle worker` processes on
one throwaway PostgreSQL, with a loopback SMTP server (aiosmtpd, in its own thread).

While `--clients` concurrent HTTP clients book 30-minute slots through the API (several clients race for
each slot of capacity-1 calendars), the two workers drain `--emails` e-mails queued beforehand. Printed:
bookings/s (made and refused), outbox messages/s, double bookings (overlaps beyond capacity, by SQL) and
duplicate deliveries (e-mails received twice for one idempotency key).
Usage: .venv/bin/python bench/cluster.py [--seconds 20] [--clients 16] [--emails 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path[:1] = [str(ROOT)]

import httpx  # noqa: E402

from core.testing.postgres import PostgresServer, free_port  # noqa: E402
from core.testing.receivers import SmtpReceiver  # noqa: E402

CALENDARS = 10
DOUBLE_BOOKINGS = """SELECT count(*) FROM core_calendar_booking a JOIN core_calendar_booking b
  ON a.calendar = b.calendar AND a.id < b.id AND a.status = 'confirmed' AND b.status = 'confirmed'
  AND a.start_ts < b.end_ts AND b.start_ts < a.end_ts"""


async def seed(emails: int) -> tuple[str, int, list[int]]:
    """An organisation, CALENDARS capacity-1 calendars open every day 08:00–20:00, queued e-mails; returns a
    Bearer token, the office id and the calendar ids."""
    from core import calendar as cal
    from core import db
    from core.auth.services import create_api_token
    from core.notify.email import enqueue_email
    from core.tenancy import services

    owner = await services.create_user("gerant@cluster.example", "mot-de-passe-cluster")
    organisation = await services.create_organisation("Mairie du cluster", owner, "Gérant")
    from core.tenancy.tables import Office

    office = await Office.objects().where(Office.organisation == organisation.id).first()
    ids = []
    for n in range(CALENDARS):
        created = await cal.create_calendar(organisation.id, office.id, f"Guichet {n}", capacity=1)
        await cal.add_opening_rule(organisation.id, created.id, cal.RuleIn(
            start="08:00", end="20:00", first_date=date(2027, 1, 4), freq="DAILY"))
        ids.append(created.id)
    for n in range(emails):
        async with db.write_transaction():
            await enqueue_email(f"usager{n}@example.org", f"Rappel {n}", text="Votre rendez-vous approche.")
    token, _ = await create_api_token(owner, organisation.id)
    return token, office.id, ids


async def book_load(base: str, token: str, office_id: int, calendars: list[int], clients: int,
                    seconds: float) -> dict[str, int]:
    counts = {"made": 0, "refused": 0, "errors": 0}
    paris = ZoneInfo("Europe/Paris")
    deadline = time.monotonic() + seconds

    async def client() -> None:
        async with httpx.AsyncClient(base_url=base, timeout=30,
                                     headers={"Authorization": f"Bearer {token}"}) as http:
            while time.monotonic() < deadline:
                calendar = random.choice(calendars)
                day = date(2027, 1, 4) + timedelta(days=random.randrange(2))  # 480 slots: clients collide
                start = datetime(day.year, day.month, day.day, 8, tzinfo=paris) + timedelta(
                    minutes=30 * random.randrange(24))
                response = await http.post(f"/api/v1/offices/{office_id}/calendars/{calendar}/bookings",
                                           json={"start": start.isoformat(),
                                                 "end": (start + timedelta(minutes=30)).isoformat()})
                key = {201: "made", 409: "refused"}.get(response.status_code, "errors")
                counts[key] += 1

    await asyncio.gather(*(client() for _ in range(clients)))
    return counts


async def outbox_left(database_url: str) -> int:
    import asyncpg

    connection = await asyncpg.connect(database_url)
    try:
        return await connection.fetchval("SELECT count(*) FROM core_outbox WHERE kind = 'email' AND status <> 'sent'")
    finally:
        await connection.close()


async def scalar(database_url: str, sql: str) -> int:
    import asyncpg

    connection = await asyncpg.connect(database_url)
    try:
        return await connection.fetchval(sql)
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--emails", type=int, default=2000)
    args = parser.parse_args()
    server = PostgresServer.start()
    data_dir = Path(tempfile.mkdtemp(prefix="socle-bench-cluster-"))
    processes: list[subprocess.Popen[bytes]] = []
    try:
        url = server.create_database("cluster")
        with SmtpReceiver() as smtp:
            env = {**os.environ, "SOCLE_DATABASE_URL": url, "SOCLE_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT),
                   "SOCLE_SECRET_KEY": "cluster-" + "x" * 32, "SOCLE_RUN_WORKER": "0",
                   "SOCLE_SMTP_HOST": "127.0.0.1", "SOCLE_SMTP_PORT": str(smtp.port)}
            os.environ.update(env)
            subprocess.run([sys.executable, "-m", "core.cli", "migrate"], env=env, check=True, capture_output=True)

            async def seeded() -> tuple[str, int, list[int]]:
                from core import db

                engine = db.create_engine(url)
                db.bind(engine, db.all_tables(db.app_configs()))
                await db.start(engine)
                try:
                    return await seed(args.emails)
                finally:
                    await db.stop(engine)

            token, office_id, calendars = asyncio.run(seeded())
            port = free_port()
            quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
            processes.append(subprocess.Popen([sys.executable, "-m", "core.cli", "serve", "--port", str(port),
                                               "--workers", "2"], env=env, **quiet))
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 120
            while True:
                try:
                    if httpx.get(f"{base}/readyz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("the app did not start")
                time.sleep(0.3)
            started = time.monotonic()
            for _ in range(2):
                processes.append(subprocess.Popen([sys.executable, "-m", "core.cli", "worker"], env=env, **quiet))
            counts = asyncio.run(book_load(base, token, office_id, calendars, args.clients, args.seconds))
            booked_for = time.monotonic() - started
            while asyncio.run(outbox_left(url)) and time.monotonic() - started < 600:
                time.sleep(0.2)
            drained_in = time.monotonic() - started
            doubles = asyncio.run(scalar(url, DOUBLE_BOOKINGS))
            in_db = asyncio.run(scalar(url, "SELECT count(*) FROM core_calendar_booking"))
            duplicates = sum(n - 1 for n in smtp.keys.values() if n > 1)
            received = len(smtp.keys)
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
        server.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
    total = counts["made"] + counts["refused"]
    print(f"2 app processes (granian) + 2 workers, one PostgreSQL, {args.clients} clients, {booked_for:.0f} s")
    print(f"booking requests        {total / booked_for:8.1f} /s   ({counts['made']} made, "
          f"{counts['refused']} refused, {counts['errors']} errors; {in_db} in the database)")
    print(f"bookings made           {counts['made'] / booked_for:8.1f} /s")
    print(f"outbox e-mails          {received / drained_in:8.1f} /s   ({received} of {args.emails} in "
          f"{drained_in:.1f} s, while the bookings ran)")
    print(f"double bookings         {doubles:8d}")
    print(f"duplicate deliveries    {duplicates:8d}")


if __name__ == "__main__":
    main()
