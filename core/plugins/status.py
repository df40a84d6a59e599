"""The plugin status as the server sees it, for the command line too: load, then ask the database which
migrations ran (`PluginManager.check_migrations`, the one place that decides `needs_migration`)."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from urllib.parse import urlparse

from core import db
from core.config import Settings
from core.plugins.manager import PluginManager, migration_files


def _sqlite_file(database_url: str) -> Path | None:
    url = urlparse(database_url)
    if url.scheme != "sqlite":
        return None
    return Path(url.path if url.netloc == "" else url.netloc + url.path)


async def refresh(manager: PluginManager) -> str:
    """Set each plugin's migration status from the configured database; returns a French warning when the
    database cannot be read (statuses then stay as loaded), else "". A SQLite file that does not exist yet
    (a data directory never migrated) means no migration ran: it is not created here."""
    settings = manager.settings
    path = _sqlite_file(settings.database_url)
    if path is not None and not path.exists():
        for record in manager.records:
            manager.set_migration_status(record, migration_files(record))
        return ""
    try:
        engine = db.create_engine(settings.database_url)
        db.bind(engine, db.all_tables(db.app_configs(manager.app_modules())))
        await db.start(engine)
    except Exception as error:  # the diagnostic must still print what it knows
        return f"Base de données injoignable ({type(error).__name__}) : état des migrations inconnu."
    try:
        await manager.check_migrations()
    except Exception as error:
        return f"Lecture des migrations impossible ({type(error).__name__}) : état des migrations inconnu."
    finally:
        await db.stop(engine)
    return ""


async def load_with_status(settings: Settings, only: Collection[str] | None = None) -> tuple[PluginManager, str]:
    """Plugins loaded without strict mode (a diagnostic must not stop at the first failure), with their
    migration status read from the database: exactly what the server would show."""
    manager = PluginManager(settings).load(only, strict=False)
    return manager, await refresh(manager)
