from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-12-01T23:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "bookings with a history, by end: the retention purge empties old histories (core.retention)"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core_calendar", description=DESCRIPTION)

    async def indexes():
        db = engine_finder()
        history = "history::text" if isinstance(db, PostgresEngine) else "history"  # json has no <> operator
        await db.run_ddl(f"CREATE INDEX core_calendar_booking_history_end ON core_calendar_booking (end_ts) "
                         f"WHERE {history} <> '[]'")

    manager.add_raw(indexes)
    return manager
