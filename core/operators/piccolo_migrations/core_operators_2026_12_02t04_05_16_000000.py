from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-02T04:05:16:000000"
VERSION = "1.38.0"
DESCRIPTION = ("an invoice's slot (month or order) unique while it stands; credit notes numbered per organisation, "
               "one for each invoice cancelled before")

# An invoice cancelled before credit notes existed gets its credit note now (numbered 1, 2… per organisation in
# the order of the invoices); its PDF is rendered when first downloaded. (Tested by
# tests/core/operators/test_credit_notes.py::test_upgrade_backfills_credit_notes.)
BACKFILL = [
    "INSERT INTO core_operator_credit_note (organisation, number, invoice, month, total_ht, total_tva, total_ttc, "
    "reason, operator, document, created_at) SELECT i.organisation, (SELECT COUNT(*) FROM core_operator_invoice j "
    "WHERE j.organisation = i.organisation AND j.status = 'cancelled' AND j.id <= i.id), i.id, i.month, "
    "-i.total_ht, -i.total_tva, -i.total_ttc, 'Avoir émis à la mise à jour pour une facture annulée auparavant', "
    "NULL, NULL, COALESCE(i.status_changed_at, i.created_at) FROM core_operator_invoice i "
    "WHERE i.status = 'cancelled' AND NOT EXISTS (SELECT 1 FROM core_operator_credit_note c WHERE c.invoice = i.id)",
    "UPDATE core_operator_invoice_counter SET last_credit_number = (SELECT COUNT(*) FROM core_operator_credit_note c "
    "WHERE c.organisation = core_operator_invoice_counter.organisation)",
]


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
        for statement in BACKFILL:
            await db.run_ddl(statement)

    manager.add_raw(indexes)
    return manager
