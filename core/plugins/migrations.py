"""`socle plugins makemigrations <id>`: a new Piccolo migration from the differences between a plugin's
tables and its existing migrations (Piccolo's own auto-migration, run without a database)."""

from __future__ import annotations

import contextlib
import importlib
import io
import sys
from pathlib import Path

from piccolo.apps.migrations.commands.new import AutoMigrationManager, NoChanges, _create_new_migration
from piccolo.conf.apps import AppConfig


def _config(app_module: str) -> AppConfig:
    return importlib.import_module(app_module).APP_CONFIG  # type: ignore[no-any-return]


async def make_migration(app_module: str, description: str = "") -> Path | None:
    """Write the migration file for the tables' changes; None when nothing changed."""
    config = _config(app_module)
    Path(config.migrations_folder_path).mkdir(parents=True, exist_ok=True)
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # Piccolo prints a summary table of its own
            meta = await _create_new_migration(config, auto=True, description=description, auto_input="y")
    except NoChanges:
        return None
    return Path(meta.migration_path)


async def unmigrated_changes(app_module: str) -> int:
    """How many schema changes the plugin's tables have that no migration records yet."""
    with contextlib.redirect_stdout(io.StringIO()):
        statements = await AutoMigrationManager(auto_input="y").get_alter_statements(app_config=_config(app_module))
    return sum(len(s.statements) for s in statements)


async def make_migration_from_source(root: Path, app_module: str, description: str = "") -> Path | None:
    """The same for a package not installed yet (the scaffold): imported from `root`, then forgotten."""
    package = app_module.split(".")[0]
    sys.path.insert(0, str(root))
    try:
        return await make_migration(app_module, description)
    finally:
        sys.path.remove(str(root))
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]
