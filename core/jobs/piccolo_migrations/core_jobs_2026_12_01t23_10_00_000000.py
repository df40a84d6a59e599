from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-01T23:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "outbox: partial index of finished messages by creation, for the retention purge (core.retention)"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core_jobs", description=DESCRIPTION)

    async def indexes():
        # Partial: pending messages (every insert) never enter it, so the write path pays nothing at insert.
        await engine_finder().run_ddl("CREATE INDEX core_outbox_finished ON core_outbox (created_at) "
                                      "WHERE status IN ('sent', 'dead')")

    manager.add_raw(indexes)
    return manager
