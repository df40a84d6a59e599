from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-23T16:57:40:000000"
VERSION = "1.38.0"
DESCRIPTION = "one settings row per office and plugin"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core_plugin_settings", description=DESCRIPTION)

    async def unique_index():
        db = engine_finder()
        await db.run_ddl("CREATE UNIQUE INDEX core_plugin_setting_uniq ON core_plugin_setting (office, plugin)")

    manager.add_raw(unique_index)
    return manager
