"""What the audit entry and the after-commit BookingCreated/Cancelled cost a booking: median and p95 latency of
`calendar.book` and `calendar.cancel` through the service, with the journal stubbed out, with the audit entry only (no
event sink bound), and with both (events delivered to the plugin manager, rdv_service_public active there).

Usage: .venv/bin/python bench/booking_events.py [--db sqlite|postgres] [--bookings 300]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core import calendar as cal  # noqa: E402
from core import db, events  # noqa: E402
from core.calendar import booking as booking_service  # noqa: E402
from core.calendar import journal  # noqa: E402
from core.config import Settings  # noqa: E402
from core.modules import activation  # noqa: E402
from core.plugins import PluginManager  # noqa: E402
from core.tenancy import services as tenancy  # noqa: E402
from core.tenancy.tables import Office  # noqa: E402

PARIS = ZoneInfo("Europe/Paris")
FIRST = date(2027, 3, 1)


class NoJournal:
    """Stand-in for `core.calendar.journal`: no audit entry, no event, no plugin asked to validate."""

    @staticmethod
    async def proposed(*args: Any, **kwargs: Any) -> None: ...

    @staticmethod
    async def created(*args: Any) -> None: ...

    @staticmethod
    async def cancelled(*args: Any) -> None: ...

    @staticmethod
    async def moved(*args: Any) -> None: ...


async def timed(label: str, count: int, action: Callable[[int], Awaitable[Any]]) -> list[float]:
    times = []
    for n in range(count):
        started = time.perf_counter()
        await action(n)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    print(f"  {label:<34} median {statistics.median(times):6.2f} ms   p95 {times[int(len(times) * 0.95)]:6.2f} ms")
    return times


async def run(args: argparse.Namespace) -> None:
    tmp = tempfile.mkdtemp(prefix="socle-bench-events-")
    server = None
    if args.db == "postgres":
        from core.testing.postgres import PostgresServer

        server = PostgresServer.start()
        url = server.create_database("bench")
    else:
        url = f"sqlite:///{tmp}/bench.sqlite"
    settings = Settings.from_env({"SOCLE_DATABASE_URL": url, "SOCLE_DATA_DIR": tmp})
    manager = PluginManager(settings).load()
    engine = db.create_engine(url)
    db.bind(engine, db.all_tables(db.app_configs(manager.app_modules())))
    await db.start(engine)
    try:
        await db.migrate(manager.app_modules())
        owner = await tenancy.create_user("gerant@bench.example", "mot-de-passe-bench")
        organisation = await tenancy.create_organisation("Mairie de Bench", owner, "Gérant")
        office = await Office.objects().where(Office.organisation == organisation.id).first()
        assert office is not None
        async with db.write_transaction():
            await activation.set_active(organisation.id, office.id, "rdv_service_public", True)
        member = (await db.fetch("SELECT id FROM core_member WHERE organisation = {}", organisation.id))[0]["id"]
        calendar = await cal.create_calendar(organisation.id, office.id, "Guichet", capacity=1)
        await cal.add_opening_rule(organisation.id, calendar.id, cal.RuleIn(
            start="00:00", end="24:00", first_date=FIRST, freq="DAILY"))

        def slot(n: int) -> tuple[datetime, datetime]:
            start = datetime.combine(FIRST, datetime.min.time(), PARIS) + timedelta(minutes=30 * n)
            return start, start + timedelta(minutes=30)

        print(f"{args.db}: {args.bookings} sequential bookings then cancellations on one calendar, "
              f"plugins loaded: {sorted(manager.healthy_ids())}")
        modes = (("without journal", NoJournal, None), ("audit only (no event sink)", journal, None),
                 ("audit + events to plugins", journal, manager.emit))
        for index, (label, module, sink) in enumerate(modes):
            booking_service.journal = module  # type: ignore[assignment]
            events.bind(sink)
            offset = index * 10_000
            made: list[int] = []

            async def book(n: int, offset: int = offset, made: list[int] = made) -> None:
                made.append((await cal.book(organisation.id, calendar.id, *slot(offset + n), created_by=member)).id)

            async def cancel(n: int, made: list[int] = made) -> None:
                await cal.cancel(organisation.id, made[n], by=member)

            print(label)
            await timed("book", args.bookings, book)
            await timed("cancel", args.bookings, cancel)
        booking_service.journal = journal
        audited = await db.fetch("SELECT count(*) AS n FROM core_audit WHERE action LIKE 'calendar.booking.%'")
        print(f"audit entries written: {audited[0]['n']} (expected {4 * args.bookings})")
    finally:
        await db.stop(engine)
        if server is not None:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--bookings", type=int, default=300)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
