from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-01T23:06:24:000000"
VERSION = "1.38.0"
DESCRIPTION = "one grant per member and permission"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core_grants", description=DESCRIPTION)

    async def unique_grant():
        db = engine_finder()
        await db.run_ddl("CREATE UNIQUE INDEX core_permission_grant_once ON core_permission_grant (member, permission)")

    manager.add_raw(unique_grant)
    return manager
