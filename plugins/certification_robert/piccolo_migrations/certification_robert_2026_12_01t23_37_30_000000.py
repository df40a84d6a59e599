from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-01T23:37:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "codes d'activation uniques"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="certification_robert", description=DESCRIPTION)

    async def unique_codes() -> None:
        # SQLite cannot ALTER TABLE ADD a UNIQUE column: the codes' uniqueness is an index (on both DBs).
        from plugins.certification_robert.tables import Assignment

        await Assignment.raw("CREATE UNIQUE INDEX IF NOT EXISTS certification_robert_assignment_code_uniq "
                             "ON certification_robert_assignment (code)")

    async def drop() -> None:
        from plugins.certification_robert.tables import Assignment

        await Assignment.raw("DROP INDEX IF EXISTS certification_robert_assignment_code_uniq")

    manager.add_raw(unique_codes)
    manager.add_raw_backwards(drop)
    return manager
