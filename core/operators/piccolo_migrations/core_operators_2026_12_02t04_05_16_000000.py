from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-02T04:05:16:000000"
VERSION = "1.38.0"
DESCRIPTION = "an invoice's slot (month or order) unique while it stands; credit notes numbered per organisation"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core_operators", description=DESCRIPTION)

    async def indexes():
        db = engine_finder()
        # A cancelled invoice no longer holds its month: the month may be billed again after its credit note.
        await db.run_ddl("DROP INDEX core_operator_invoice_month_uniq")
        await db.run_ddl("UPDATE core_operator_invoice SET slot = month WHERE status <> 'cancelled'")
        await db.run_ddl("CREATE UNIQUE INDEX core_operator_invoice_slot_uniq ON core_operator_invoice "
                         "(organisation, slot)")
        await db.run_ddl("CREATE UNIQUE INDEX core_operator_credit_note_number_uniq ON core_operator_credit_note "
                         "(organisation, number)")

    manager.add_raw(indexes)
    return manager
