from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-23T13:21:11:000000"
VERSION = "1.38.0"
DESCRIPTION = "one membership per user and organisation, one link per member and office"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core_tenancy", description=DESCRIPTION)

    async def unique_indexes():
        db = engine_finder()
        await db.run_ddl('CREATE UNIQUE INDEX core_member_org_user ON core_member (organisation, "user")')
        await db.run_ddl("CREATE UNIQUE INDEX core_member_office_link ON core_member_office (member, office)")

    manager.add_raw(unique_indexes)
    return manager
