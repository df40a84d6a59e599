"""Readiness: what a load balancer needs to know before sending requests to this process.

Ready means the database answers, every migration shipped (core and plugins) has run, and every installed
plugin loaded. Each failed check gives a French reason, keyed by the check's name."""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable, Iterable

from core import db
from core.errors import FieldError
from core.plugins.records import PluginRecord, PluginStatus

DATABASE_TIMEOUT_SECONDS = 2.0


def shipped_migrations(app_modules: Iterable[str]) -> dict[str, set[str]]:
    """{Piccolo app name: migration ids in its folder} for the core's apps and `app_modules`."""
    from piccolo.apps.migrations.commands.base import BaseMigrationManager

    manager = BaseMigrationManager()
    shipped = {}
    for name in [*db.CORE_APPS, *app_modules]:
        config = importlib.import_module(name).APP_CONFIG
        shipped[config.app_name] = set(manager.get_migration_modules(config.migrations_folder_path))
    return shipped


async def _applied() -> set[tuple[str, str]]:
    rows = await db.fetch_tuples("SELECT app_name, name FROM migration")
    return {(row[0], row[1]) for row in rows}


class Readiness:
    """Checks for one process. Once every migration is found applied it stays so (the code cannot gain
    migrations without a restart), so later probes cost one `SELECT 1`."""

    def __init__(self, app_modules: Iterable[str], records: Callable[[], Iterable[PluginRecord]]) -> None:
        self._app_modules = list(app_modules)
        self._records = records
        self._shipped: dict[str, set[str]] | None = None
        self._migrated = False

    async def problems(self) -> list[FieldError]:
        """What keeps this process from being ready (empty list: ready)."""
        try:
            await asyncio.wait_for(db.fetch_tuples("SELECT 1"), DATABASE_TIMEOUT_SECONDS)
        except Exception as error:  # any failure of the driver means "not reachable"
            reason = "délai dépassé" if isinstance(error, TimeoutError) else type(error).__name__
            return [FieldError("database", f"La base de données ne répond pas ({reason}).")]
        problems = []
        if not self._migrated:
            problem = await self._migration_problem()
            if problem:
                problems.append(FieldError("migrations", problem))
            else:
                self._migrated = True
        for record in self._records():
            if not record.healthy and record.status is not PluginStatus.needs_migration:  # said under "migrations"
                problems.append(FieldError(f"plugins.{record.id}",
                                           f"Le module « {record.id} » est indisponible : {record.error}"))
        return problems

    async def _migration_problem(self) -> str:
        if self._shipped is None:
            self._shipped = shipped_migrations(self._app_modules)
        try:
            applied = await _applied()
        except Exception:
            return "Aucune migration n'a été appliquée : lancez « socle migrate »."
        missing = sorted(f"{app}:{name}" for app, names in self._shipped.items() for name in names
                         if (app, name) not in applied)
        if missing:
            shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
            return f"{len(missing)} migration(s) à appliquer ({shown}) : lancez « socle migrate »."
        return ""
