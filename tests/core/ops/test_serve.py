"""`socle serve`: one process on SQLite (more is refused in French), several on PostgreSQL; SIGTERM under load
finishes the requests under way and the in-process worker hands back the messages it had claimed: every
booking answered is committed, every committed booking was answered, no message stays leased."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import date, datetime, timedelta

import httpx
import pytest

from core import db
from core.auth.services import create_api_token
from core.notify.email import enqueue_email
from core.tenancy import services
from core.testing.postgres import free_port
from tests.core.calendar.factories import weekly_calendar


def env_for(settings, **extra):
    return {**os.environ, "SOCLE_DATA_DIR": str(settings.data_dir), "SOCLE_DATABASE_URL": settings.database_url,
            "SOCLE_SECRET_KEY": settings.secret_key, "SOCLE_STRICT_PLUGINS": "1", **extra}


@pytest.mark.nodb
def test_sqlite_serves_with_one_process_only(settings):
    result = subprocess.run([sys.executable, "-m", "core.cli", "serve", "--workers", "3"], env=env_for(settings),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "Avec SQLite, un seul processus écrit dans la base" in result.stderr
    assert "vous en demandez 3" in result.stderr


async def wait_ready(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            assert process.poll() is None, "le serveur s'est arrêté au démarrage"
            try:
                if (await client.get(f"{base}/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise AssertionError("le serveur n'est jamais prêt")


async def outbox_rows():
    """The emails on the outbox (periodic jobs may sit there too, and succeed)."""
    return await db.fetch("SELECT status, attempts, locked_by FROM core_outbox WHERE kind = 'email' ORDER BY id")


@pytest.mark.parametrize("server", ["granian", "uvicorn"])
async def test_sigterm_under_load_loses_nothing(app, make_org, settings, server):
    org = await make_org()
    agenda = await weekly_calendar(org, capacity=10_000, first=date(2026, 3, 2))
    owner = await services.user_by_email(org.owner_email)
    token, _ = await create_api_token(owner, org.organisation_id)
    for n in range(3):
        await enqueue_email(f"usager{n}@example.org", "Rappel", text="Votre rendez-vous.")
    black_hole = socket.socket()  # accepts connections, never greets: the worker's SMTP deliveries hang
    black_hole.bind(("127.0.0.1", 0))
    black_hole.listen(16)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    workers = "2" if settings.is_postgres else "1"
    process = subprocess.Popen(
        [sys.executable, "-m", "core.cli", "serve", "--port", str(port), "--workers", workers, "--server", server],
        env=env_for(settings, SOCLE_RUN_WORKER="1", SOCLE_SMTP_HOST="127.0.0.1",
                    SOCLE_SMTP_PORT=str(black_hole.getsockname()[1]), SOCLE_SMTP_TIMEOUT_SECONDS="120"),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        await wait_ready(base, process)
        deadline = time.monotonic() + 30
        while {r["status"] for r in await outbox_rows()} != {"sending"}:  # claimed, delivery under way
            assert time.monotonic() < deadline, await outbox_rows()
            await asyncio.sleep(0.1)

        answered: list[int] = []
        late: list[int] = []  # answered after SIGTERM was sent: they were under way
        failures: list[str] = []
        refused: list[str] = []
        sigterm_at: list[float] = []
        url = f"{base}/api/v1/offices/{org.office_id}/calendars/{agenda.id}/bookings"
        start = datetime(2026, 3, 2, 9)

        async def client_loop(n: int) -> None:
            headers = {"Authorization": f"Bearer {token}", "Connection": "close"}
            async with httpx.AsyncClient(timeout=60) as client:
                while process.poll() is None:
                    slot = start + timedelta(minutes=n)
                    body = {"start": slot.isoformat() + "+01:00", "end": (slot + timedelta(minutes=30)).isoformat()
                            + "+01:00"}
                    try:
                        response = await client.post(url, json=body, headers=headers)
                    except httpx.TransportError as error:  # refused once the port is closed: never processed
                        refused.append(type(error).__name__)
                        await asyncio.sleep(0.01)
                        continue
                    if response.status_code != 201:
                        failures.append(f"{response.status_code} {response.text[:200]}")
                        continue
                    answered.append(response.json()["id"])
                    if sigterm_at and time.monotonic() > sigterm_at[0]:
                        late.append(response.json()["id"])

        loops = [asyncio.create_task(client_loop(n)) for n in range(12)]
        deadline = time.monotonic() + 60
        while len(answered) < 20:  # under way for a while
            assert time.monotonic() < deadline and not failures, (len(answered), failures[:3], refused[:3])
            await asyncio.sleep(0.05)
        sigterm_at.append(time.monotonic())
        process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.to_thread(process.communicate, timeout=90)
        await asyncio.gather(*loops)
    finally:
        if process.poll() is None:
            process.kill()
        black_hole.close()
    # uvicorn re-raises the signal once shut down: "killed by SIGTERM", which systemd counts as a clean stop
    assert process.returncode in (0, -signal.SIGTERM), output
    assert failures == []
    committed = {r["id"] for r in await db.fetch("SELECT id FROM core_calendar_booking")}
    assert committed == set(answered)  # nothing committed without an answer, nothing answered and lost
    assert late, "aucune requête en cours au moment du SIGTERM"
    rows = await outbox_rows()
    assert rows and all(r["status"] == "pending" and r["attempts"] == 0 and r["locked_by"] == "" for r in rows), rows
    assert "rendu(s) à la file" in output
