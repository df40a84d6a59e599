"""The HTTP half of bench/national.py: one ordinary organisation (a town hall, `agents` agents, one online
motif, the seed of bench/rdv.py) measured through uvicorn on a database where it is alone and on one where it
sits beside the national platform, the two servers loaded in turns so that a busy moment of the machine
hits both: the public slot page (a month), a booking, the agent's week planning, `GET /api/v1/offices`, the
cart checkout, and an in-process worker draining 10 000 messages into a loopback SMTP receiver.

Not a test: it prints figures (`make test` only runs it on tiny sizes, tests/test_benches.py)."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.api_reads import free_port, serve

EMAIL, PASSWORD = "maire@bench.example", "mot-de-passe-bench"


@dataclasses.dataclass
class Target:
    """One database with the measured organisation, and the server in front of it."""

    label: str
    url: str
    data_dir: Path
    slug: str = ""
    motif: int = 0
    token: str = ""
    office: int = 0
    server: Any = None
    base: str = ""


async def seed_organisation(target: Target, agents: int) -> None:
    """The measured organisation (first rows of a migrated, empty database: same ids in both databases) and an
    API token of its owner."""
    from bench.rdv import seed
    from core import db
    from core.auth.services import create_api_token
    from core.tenancy.tables import User

    os.environ["SOCLE_DATABASE_URL"] = target.url
    try:
        target.slug, target.motif = await seed(target.data_dir, agents, occupancy=0.3)
    finally:
        del os.environ["SOCLE_DATABASE_URL"]
    engine = db.create_engine(target.url)
    db.bind(engine, db.all_tables(db.app_configs()))
    await db.start(engine)
    try:
        owner = await User.objects().where(User.email == EMAIL).first()
        target.token, actor = await create_api_token(owner, None, "bench")
        target.office = int((await db.fetch("SELECT min(id) AS id FROM core_office WHERE organisation = {}",
                                            actor.organisation_id))[0]["id"])
    finally:
        await db.stop(engine)


def start(target: Target) -> None:
    port = free_port()
    env = {**os.environ, "SOCLE_DATA_DIR": str(target.data_dir), "SOCLE_DATABASE_URL": target.url,
           "SOCLE_SECRET_KEY": "bench-" + "x" * 32, "SOCLE_RUN_WORKER": "0"}
    target.server, target.base = serve("bench._apps:socle_app", port, env), f"http://127.0.0.1:{port}"


def stop(target: Target) -> None:
    if target.server is not None:
        target.server.terminate()
        target.server.wait(10)


Measure = Callable[[Any, Target, int], Awaitable[None]]


def _measures() -> dict[str, tuple[Measure, Measure | None]]:
    """name → (one timed request, its untimed preparation or None); each checks its answer."""
    prefix = "/public/o/{slug}/m/rdv_service_public"

    async def slot_page(client: Any, t: Target, n: int) -> None:
        response = await client.get(f"{prefix.format(slug=t.slug)}/motifs/{t.motif}/creneaux")
        assert response.status_code == 200, response.text[:200]

    async def booking(client: Any, t: Target, n: int) -> None:
        slots = client.slots
        response = await client.post(f"{prefix.format(slug=t.slug)}/api/rdvs", json={
            "motif_id": t.motif, "starts_at": slots[n % len(slots)]["starts_at"], "citizen_name": f"Usager {n}",
            "citizen_email": f"usager{n}@bench.example"})
        assert response.status_code in (200, 201), response.text[:200]

    async def planning(client: Any, t: Target, n: int) -> None:
        wednesday = date.today() - timedelta(days=date.today().weekday()) + timedelta(days=9)
        response = await client.page.get(f"/offices/{t.office}/m/rdv_service_public/planning?date={wednesday}"
                                         "&view=week")
        assert response.status_code == 200 and "rdv-grid" in response.text, response.text[:200]

    async def offices(client: Any, t: Target, n: int) -> None:
        response = await client.get("/api/v1/offices", headers={"Authorization": f"Bearer {t.token}"})
        assert response.status_code == 200, response.text[:200]

    async def cart_line(client: Any, t: Target, n: int) -> None:
        action = "deactivate" if n % 2 == 0 else "activate"  # rdv_service_public off then on again
        response = await client.post("/api/v1/cart/lines", headers={"Authorization": f"Bearer {t.token}"},
                                     json={"office_id": t.office, "module": "rdv_service_public", "action": action})
        assert response.status_code in (200, 201), response.text[:200]

    async def checkout(client: Any, t: Target, n: int) -> None:
        response = await client.post("/api/v1/cart/checkout", headers={"Authorization": f"Bearer {t.token}"})
        assert response.status_code in (200, 201), response.text[:200]

    return {"public slot page (month)": (slot_page, None), "booking (POST rdvs)": (booking, None),
            "agent week planning": (planning, None), "GET /api/v1/offices": (offices, None),
            "cart checkout": (checkout, cart_line)}


async def _client(target: Target) -> Any:
    import httpx

    from core.testing.fixtures import login

    client = httpx.AsyncClient(base_url=target.base, timeout=60)
    found = (await client.get(f"/public/o/{target.slug}/m/rdv_service_public/api/motifs/{target.motif}/slots")).json()
    client.slots = found[len(found) // 4:]  # type: ignore[attr-defined]  # distinct free slots to book
    page_client = httpx.AsyncClient(base_url=target.base, timeout=60)
    await login(page_client, EMAIL, PASSWORD)
    client.page = page_client  # type: ignore[attr-defined]  # logged in: the agent's pages
    return client


async def measure_http(targets: list[Target], requests: int) -> dict[str, dict[str, float]]:
    """name → {label: median ms}; each request alternates between the targets."""
    clients = [await _client(t) for t in targets]
    results: dict[str, dict[str, list[float]]] = {}
    try:
        for name, (timed, prepare) in _measures().items():
            samples: dict[str, list[float]] = {t.label: [] for t in targets}
            for n in range(requests + 3):  # 3 warm-up rounds
                for client, target in zip(clients, targets, strict=True):
                    if prepare is not None:
                        await prepare(client, target, n)
                    started = time.perf_counter()
                    await timed(client, target, n)
                    if n >= 3:
                        samples[target.label].append((time.perf_counter() - started) * 1000)
            results[name] = samples
    finally:
        for client in clients:
            await client.page.aclose()
            await client.aclose()
    return {name: {label: statistics.median(v) for label, v in by.items()} for name, by in results.items()}


async def drain(target: Target, count: int, smtp_port: int) -> float:
    """Enqueue `count` emails of the organisation (transactions of 100), then time one in-process worker
    delivering them all to the loopback receiver: milliseconds."""
    from core import db, jobs, notify
    from core.config import Settings, SmtpSettings, WorkerSettings
    from core.plugins import PluginManager
    from core.plugins.jobs import registry_with_plugin_jobs

    settings = Settings(data_dir=target.data_dir, database_url=target.url, secret_key="bench-" + "x" * 30,
                        smtp=SmtpSettings(host="127.0.0.1", port=smtp_port),
                        worker=WorkerSettings(batch_size=50, poll_seconds=0.05))
    engine = db.create_engine(target.url)
    db.bind(engine, db.all_tables(db.app_configs()))
    await db.start(engine)
    try:
        organisation = int((await db.fetch("SELECT organisation FROM core_office WHERE id = {}",
                                           target.office))[0]["organisation"])
        for first in range(0, count, 100):
            async with db.write_transaction():
                for n in range(first, min(first + 100, count)):
                    await notify.enqueue_email(f"citoyen{n}@example.org", f"Rendez-vous n° {n}",
                                               text=f"Bonjour, votre rendez-vous n° {n}.",
                                               organisation_id=organisation, key=f"drain-{target.label}-{n}")
        started = time.perf_counter()
        registry = registry_with_plugin_jobs(PluginManager(settings).load())  # as `socle worker`: the invoices'
        await jobs.Worker(settings, registry).run(until_idle=True)  # PDFs queued by the checkouts are drained too
        elapsed = (time.perf_counter() - started) * 1000
        left = await db.fetch("SELECT count(*) AS n FROM core_outbox WHERE idempotency_key LIKE {} AND status <> {}",
                              f"drain-{target.label}-%", jobs.SENT)
        assert int(left[0]["n"]) == 0, f"{target.label}: {left[0]['n']} messages not sent"
        return elapsed
    finally:
        await db.stop(engine)


@contextlib.contextmanager
def new_targets(*pairs: tuple[str, str]) -> Iterator[list[Target]]:
    """A target per (label, database URL), each with its own data folder, removed afterwards."""
    targets = [Target(label, url, Path(tempfile.mkdtemp(prefix=f"socle-national-{label}-"))) for label, url in pairs]
    try:
        yield targets
    finally:
        for target in targets:
            shutil.rmtree(target.data_dir, ignore_errors=True)
