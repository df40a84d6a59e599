from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-23T13:29:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "one outbox row per idempotency key; an index for the worker's claim query"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core_jobs", description=DESCRIPTION)

    async def indexes():
        db = engine_finder()
        await db.run_ddl("CREATE UNIQUE INDEX core_outbox_idempotency_key ON core_outbox (idempotency_key)")
        await db.run_ddl("CREATE INDEX core_outbox_due ON core_outbox (status, next_attempt_at)")
        await db.run_ddl("CREATE INDEX core_outbox_org_created ON core_outbox (organisation, created_at)")

    manager.add_raw(indexes)
    return manager
