from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-23T13:29:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "one activation row and one cart line per office and module"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core_modules", description=DESCRIPTION)

    async def unique_indexes():
        db = engine_finder()
        await db.run_ddl("CREATE UNIQUE INDEX core_module_activation_uniq ON core_module_activation (office, module)")
        await db.run_ddl("CREATE UNIQUE INDEX core_cart_line_uniq ON core_cart_line (office, module)")

    manager.add_raw(unique_indexes)
    return manager
