"""Week search over 20 favourite centres with 100 ms simulated latency per call, and booking overhead.

Run: .venv/bin/python bench/exams.py  (prints figures; goals: search ≤ 400 ms median, booking overhead ≤ 30 ms)

The booking overhead is `services.bookings.book` (the slot read again from the provider, delay rules, then the
exam file, the calendar entry, the email with its ICS and the audit in one transaction, on a fresh SQLite
database) minus the raw client round trip `provider.book` to the same simulator, both without latency. The
service reaches RdvPermis through the module's provider registry (`register_exam_providers`), with the office's
settings; each élève's mandate is asked and accepted through the simulator's link beforehand (not timed).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import uvicorn

from plugins.passerelle_examens.providers.rdvpermis import RdvPermisProvider, week_search
from plugins.passerelle_examens.simulators.rdvpermis import State, answer_link, centres_of, create_app

LATENCY = 0.1
RUNS = 7


async def measure(url: str, state: State) -> None:
    provider = RdvPermisProvider(url, "bench", "secret-bench")
    departements = ("69", "01", "38", "42", "71", "73", "74", "07", "26")
    centres = [c["id"] for d in departements for c in centres_of(d, "voiture")][:20]
    await provider.search_centres("69", "voiture")  # token
    state.faults.latency = LATENCY
    monday = dt.date(2027, 3, 1)
    searches = []
    for i in range(RUNS):
        started = time.perf_counter()
        await week_search(provider, centres, monday + dt.timedelta(weeks=i))
        searches.append(time.perf_counter() - started)
    print(f"week search, {len(centres)} centres, {LATENCY * 1000:.0f} ms/call: "
          f"median {statistics.median(searches) * 1000:.0f} ms "
          f"(sequential floor {len(centres) * LATENCY * 1000:.0f} ms)")
    state.faults.latency = 0.0
    asked = await provider.mandate("123456789012", "eleve@bench.example")  # booking needs a confirmed mandate
    await answer_link(asked.confirm_url, "accepter")
    overheads = []
    for i in range(RUNS):
        slot = (await provider.week_sessions(centres[i], monday))[0]
        started = time.perf_counter()
        await provider.book(slot.slot_id, "123456789012", f"bench-{i}")
        overheads.append(time.perf_counter() - started)
    print(f"booking round trip (client + simulator, no latency): median {statistics.median(overheads) * 1000:.1f} ms")
    await provider.aclose()
    await service_booking(url, centres, monday + dt.timedelta(weeks=RUNS + 1))


async def service_booking(url: str, centres: list[str], monday: dt.date) -> None:
    import tempfile

    from core import db
    from core.config import Settings
    from core.modules.activation import set_active
    from core.plugins.status import refresh
    from core.tenancy import services as tenancy
    from core.tenancy.actor import Actor
    from core.tenancy.roles import Role
    from core.web import create_app
    from plugins.passerelle_examens.runtime import platform
    from plugins.passerelle_examens.services import bookings, mandates, students
    from plugins.passerelle_examens.services.common import Ctx
    from plugins.passerelle_examens.simulators.rdvpermis import centres_of
    from plugins.passerelle_examens.tables import FavouriteCentre

    with tempfile.TemporaryDirectory() as workdir:
        folder = Path(workdir)
        settings = Settings(data_dir=folder, database_url=f"sqlite:///{folder / 'exams.sqlite'}", secret_key="e" * 32)
        app = create_app(settings, plugins=["passerelle_examens"])
        for hook in app.on_startup:
            await app._call_lifespan_hook(hook)
        await db.migrate(app.state.plugins.app_modules())
        await refresh(app.state.plugins)  # migrated: the module is healthy, its hooks answer
        user = await tenancy.create_user("gerant@bench.example", "bench-password-2026")
        organisation = await tenancy.create_organisation("Auto-école Bench", user, "Gérant")
        from core.tenancy.tables import Office

        office = await Office.objects().where(Office.organisation == organisation.id).first()
        c = Ctx(organisation.id, office.id)
        await set_active(organisation.id, office.id, "passerelle_examens", True)
        owner = Actor(user.id, user.email, 0, organisation.id, Role.owner, "Gérant")
        await platform().save_office_settings(owner, office.id, {
            "base_url": url, "client_id": "bench", "client_secret": "secret-bench"})
        raw = RdvPermisProvider(url, "bench", "secret-bench")
        await raw.search_centres("69", "voiture")  # token
        for centre_id in centres:
            d = centre_id.split("-")[0]
            centre = next(x for x in centres_of(d, "voiture") if x["id"] == centre_id)
            await FavouriteCentre(organisation=organisation.id, office=office.id, centre_id=centre_id,
                                  name=centre["name"], departement=d, exam_type="voiture").save()
        people = [await students.create(c, {
            "civilite": "madame", "nom": f"Élève{i}", "prenoms": "Bench", "date_naissance": "2004-01-01",
            "courriel": f"eleve{i}@bench.example", "neph": f"{i + 1:012d}", "categorie": "B"})
            for i in range(2 * RUNS + 1)]
        for person in people:  # booking requires the élève's confirmed mandate
            asked, _ = await mandates.request(c, person.id)
            await answer_link(asked.confirm_url, "accepter")
            await mandates.sync(c, person.id)
        # warm up: the first booking creates the office's exam calendar
        first = (await raw.week_sessions(centres[-1], monday))[0]
        await bookings.book(c, people[-1].id, centres[-1], first.slot_id, first.day.isoformat())
        clients, service = [], []
        for i in range(RUNS):
            slots = await raw.week_sessions(centres[i], monday)
            a, b = slots[0], slots[-1]
            started = time.perf_counter()
            await raw.book(a.slot_id, people[i].neph, f"raw-{i}")
            clients.append(time.perf_counter() - started)
            started = time.perf_counter()
            await bookings.book(c, people[RUNS + i].id, centres[i], b.slot_id, b.day.isoformat())
            service.append(time.perf_counter() - started)
        raw_ms, service_ms = statistics.median(clients) * 1000, statistics.median(service) * 1000
        print(f"booking through the service (slot re-read, rules, file + calendar + email/ICS + audit, SQLite): "
              f"median {service_ms:.1f} ms vs raw client {raw_ms:.1f} ms → overhead {service_ms - raw_ms:.1f} ms "
              f"(goal ≤ 30 ms)")
        await raw.aclose()
        for hook in reversed(app.on_shutdown):
            await app._call_lifespan_hook(hook)
        await db.stop(db.engine())


def main() -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    state = State()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(state), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        asyncio.run(measure(f"http://127.0.0.1:{sock.getsockname()[1]}", state))
    finally:
        server.should_exit = True
        thread.join(5)


if __name__ == "__main__":
    main()
