"""`socle backup FILE` and `socle restore FILE`.

- SQLite: SQLite's online backup API. The copy is one consistent snapshot taken while the application keeps
  writing (WAL: readers do not block writers); restoring copies the file back through the same API, so the
  target's journal stays coherent.
- PostgreSQL: `pg_dump --format=custom` (one repeatable-read snapshot) and `pg_restore --clean
  --single-transaction` (all or nothing). The programs come from PATH or /usr/lib/postgresql/<version>/bin.

A backup is written to a temporary file beside FILE and renamed once complete: FILE is never half-written.
A restore checks the result (integrity, foreign keys, the migrations table) before saying it succeeded.
Stop the app processes and workers before a restore; run `socle migrate` after restoring an older backup."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path
from urllib.parse import urlparse

from core.config import Settings
from core.errors import SocleError


class BackupFailed(SocleError):
    status_code = 500
    default_message = "La sauvegarde ou la restauration a échoué."


def sqlite_path(database_url: str) -> Path:
    url = urlparse(database_url)
    return Path(url.path if url.netloc == "" else url.netloc + url.path)


def postgres_program(name: str) -> str:
    """pg_dump / pg_restore: on PATH, else the newest Debian install (kept off PATH)."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                      key=lambda p: [int(x) for x in p.parents[1].name.split(".") if x.isdigit()], reverse=True)
    if versions:
        return str(versions[0])
    raise BackupFailed(f"{name} introuvable : installez le client PostgreSQL (paquet Debian postgresql-client).")


def _postgres_dsn(database_url: str) -> str:
    return database_url.replace("postgres://", "postgresql://", 1)


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupFailed(f"{Path(command[0]).name} a échoué : {detail[-1] if detail else result.returncode}")


def backup(settings: Settings, target: Path) -> Path:
    """Write a consistent copy of the database to `target` (replaced if it exists)."""
    target = target.resolve()
    if not target.parent.is_dir():
        raise BackupFailed(f"Le dossier {target.parent} n'existe pas.")
    partial = target.with_name(f".{target.name}.partiel")
    try:
        if settings.is_postgres:
            _run([postgres_program("pg_dump"), "--format=custom", "--no-owner", f"--file={partial}",
                  f"--dbname={_postgres_dsn(settings.database_url)}"])
        else:
            source_path = sqlite_path(settings.database_url)
            if not source_path.exists():
                raise BackupFailed(f"La base {source_path} n'existe pas.")
            partial.unlink(missing_ok=True)
            with closing(sqlite3.connect(source_path, timeout=30)) as source, closing(sqlite3.connect(partial)) as copy:
                source.backup(copy)  # one step: a single consistent snapshot
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def restore(settings: Settings, source: Path) -> None:
    """Replace the database's content with the backup `source`, then check the result."""
    if not source.is_file():
        raise BackupFailed(f"Le fichier {source} n'existe pas.")
    if settings.is_postgres:
        if _is_sqlite_file(source):
            raise BackupFailed("Ce fichier est une sauvegarde SQLite : la base configurée est PostgreSQL.")
        _run([postgres_program("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--exit-on-error", f"--dbname={_postgres_dsn(settings.database_url)}", str(source)])
        _run([postgres_program("psql"), "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1",
              f"--dbname={_postgres_dsn(settings.database_url)}", "--command=SELECT count(*) FROM migration"])
        return
    if not _is_sqlite_file(source):
        raise BackupFailed("Ce fichier n'est pas une sauvegarde SQLite (une sauvegarde PostgreSQL ?).")
    with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as backup_db:
        problems = check_sqlite(backup_db)
        if problems:
            raise BackupFailed(f"Sauvegarde inutilisable : {problems}")
        target_path = sqlite_path(settings.database_url)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(target_path, timeout=30)) as target:
            backup_db.backup(target)
            problems = check_sqlite(target)
    if problems:
        raise BackupFailed(f"Base restaurée incohérente : {problems}")


def _is_sqlite_file(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(16) == b"SQLite format 3\x00"


def check_sqlite(connection: sqlite3.Connection) -> str:
    """'' when the database is sound: integrity, no dangling foreign key, a migrations table."""
    integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
    if integrity != "ok":
        return f"intégrité : {integrity}"
    dangling = connection.execute("PRAGMA foreign_key_check").fetchall()
    if dangling:
        return f"{len(dangling)} clé(s) étrangère(s) sans ligne (table {dangling[0][0]})"
    if connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migration'").fetchone() is None:
        return "pas de table des migrations"
    return ""
