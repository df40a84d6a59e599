from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-23T13:37:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "calendar indexes: bookings by calendar and start, unique ICS tokens"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core_calendar", description=DESCRIPTION)

    async def indexes():
        db = engine_finder()
        await db.run_ddl("CREATE UNIQUE INDEX core_calendar_ics_token ON core_calendar (ics_token)")
        await db.run_ddl("CREATE INDEX core_calendar_booking_span ON core_calendar_booking "
                         "(calendar, start_ts, end_ts, seats, status)")
        await db.run_ddl("CREATE INDEX core_calendar_booking_office_start ON core_calendar_booking (office, start_ts)")

    manager.add_raw(indexes)
    return manager
