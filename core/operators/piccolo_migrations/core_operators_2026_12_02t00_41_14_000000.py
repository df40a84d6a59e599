from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-02T00:41:14:000000"
VERSION = "1.38.0"
DESCRIPTION = "one invoice per organisation and month, one number per organisation; indexes of the activity counters"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core_operators", description=DESCRIPTION)

    async def indexes():
        db = engine_finder()
        await db.run_ddl("CREATE UNIQUE INDEX core_operator_invoice_month_uniq ON core_operator_invoice "
                         "(organisation, month)")
        await db.run_ddl("CREATE UNIQUE INDEX core_operator_invoice_number_uniq ON core_operator_invoice "
                         "(organisation, number)")
        await db.run_ddl("CREATE INDEX core_operator_login_failure_email_at ON core_operator_login_failure (email, at)")
        # The console's activity counters: bookings and messages of this month, documents' storage.
        await db.run_ddl("CREATE INDEX core_calendar_booking_org_created ON core_calendar_booking "
                         "(organisation, created_at)")
        await db.run_ddl("CREATE INDEX core_document_org_size ON core_document (organisation, size)")

    manager.add_raw(indexes)
    return manager
