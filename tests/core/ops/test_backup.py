"""`socle backup` during a stream of bookings, then `socle restore`: every booking committed before the backup
started is there, none that never committed, and the database is consistent (integrity, foreign keys, the
migrations table), on SQLite and on PostgreSQL; restoring over a populated database replaces it."""

import asyncio
import dataclasses
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import date, datetime
from zoneinfo import ZoneInfo

import asyncpg
import pytest

from core import calendar as cal
from core.ops.backup import BackupFailed, backup, check_sqlite, restore, sqlite_path
from tests.core.calendar.factories import weekly_calendar

PARIS = ZoneInfo("Europe/Paris")
BOOKINGS = "SELECT id FROM core_calendar_booking"
MIGRATIONS = "SELECT app_name, name FROM migration"
DANGLING = ("SELECT count(*) FROM core_calendar_booking b LEFT JOIN core_calendar c ON c.id = b.calendar "
            "WHERE c.id IS NULL")


async def read_sqlite(url):
    with closing(sqlite3.connect(sqlite_path(url))) as connection:
        assert check_sqlite(connection) == ""
        return ({r[0] for r in connection.execute(BOOKINGS)}, set(connection.execute(MIGRATIONS)),
                connection.execute(DANGLING).fetchone()[0])


async def read_postgres(url):
    connection = await asyncpg.connect(url)
    try:
        return ({r[0] for r in await connection.fetch(BOOKINGS)},
                {tuple(r) for r in await connection.fetch(MIGRATIONS)}, await connection.fetchval(DANGLING))
    finally:
        await connection.close()


@pytest.fixture
async def target(settings, tmp_path):
    """Settings of a second, empty database to restore into."""
    if not settings.is_postgres:
        yield dataclasses.replace(settings, database_url=f"sqlite:///{tmp_path}/restauree.sqlite")
        return
    admin = await asyncpg.connect(settings.database_url)
    await admin.execute("DROP DATABASE IF EXISTS socle_restauree")
    await admin.execute("CREATE DATABASE socle_restauree")
    yield dataclasses.replace(settings, database_url=settings.database_url.rsplit("/", 1)[0] + "/socle_restauree")
    await admin.execute("DROP DATABASE IF EXISTS socle_restauree WITH (FORCE)")
    await admin.close()


async def test_backup_under_bookings_then_restore(app, make_org, settings, target, tmp_path):
    org = await make_org()
    agenda = await weekly_calendar(org, capacity=10_000, first=date(2026, 3, 2))
    start, end = datetime(2026, 3, 2, 9, tzinfo=PARIS), datetime(2026, 3, 2, 10, tzinfo=PARIS)
    committed: list[int] = []
    stop = asyncio.Event()

    async def stream() -> None:
        while not stop.is_set():
            committed.append((await cal.book(org.organisation_id, agenda.id, start, end)).id)

    async def until(count: int) -> None:
        while len(committed) < count:
            await asyncio.sleep(0.005)

    task = asyncio.create_task(stream())
    await until(15)
    before = set(committed)
    file = tmp_path / "socle.sauvegarde"
    await asyncio.to_thread(backup, settings, file)
    await until(len(committed) + 10)  # the stream went on during and after the backup
    stop.set()
    await task
    assert not (tmp_path / ".socle.sauvegarde.partiel").exists()

    read = read_postgres if settings.is_postgres else read_sqlite
    source_migrations = (await read(settings.database_url))[1]
    for _ in range(2):  # into the empty database, then over the restored (populated) one
        await asyncio.to_thread(restore, target, file)
        bookings, migrations, dangling = await read(target.database_url)
        assert before <= bookings <= set(committed)
        assert len(bookings) < len(committed)
        assert migrations == source_migrations and dangling == 0


async def test_restore_refuses_what_is_not_a_backup(settings, tmp_path, app):
    with pytest.raises(BackupFailed, match="n'existe pas"):
        restore(settings, tmp_path / "absente")
    junk = tmp_path / "texte.txt"
    junk.write_text("pas une sauvegarde")
    with pytest.raises(BackupFailed):
        restore(settings, junk)


@pytest.mark.nodb
def test_the_commands(tmp_path):
    env = {**os.environ, "SOCLE_DATA_DIR": str(tmp_path), "SOCLE_DATABASE_URL": f"sqlite:///{tmp_path}/a.sqlite"}

    def socle(*args):
        return subprocess.run([sys.executable, "-m", "core.cli", *args], env=env, capture_output=True, text=True,
                              timeout=120)

    assert socle("migrate").returncode == 0
    saved = socle("backup", str(tmp_path / "copie.sqlite"))
    assert saved.returncode == 0 and "Sauvegarde écrite" in saved.stdout
    restored = socle("restore", str(tmp_path / "copie.sqlite"))
    assert restored.returncode == 0 and "Base restaurée" in restored.stdout
    missing = socle("restore", str(tmp_path / "nulle-part.sqlite"))
    assert missing.returncode == 2 and "n'existe pas" in missing.stderr
    assert socle("backup", str(tmp_path / "absent" / "x.sqlite")).returncode == 2
