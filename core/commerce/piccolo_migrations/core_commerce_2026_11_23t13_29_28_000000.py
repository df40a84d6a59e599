from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-23T13:29:28:000000"
VERSION = "1.38.0"
DESCRIPTION = "one counter per organisation, one order number per organisation"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core_commerce", description=DESCRIPTION)

    async def unique_indexes():
        db = engine_finder()
        await db.run_ddl("CREATE UNIQUE INDEX core_order_counter_uniq ON core_order_counter (organisation)")
        await db.run_ddl("CREATE UNIQUE INDEX core_order_number_uniq ON core_order (organisation, number)")

    manager.add_raw(unique_indexes)
    return manager
