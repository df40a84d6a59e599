"""The core calendar's rules and closures this module made are marked as its own (`source_plugin`), so the
core calendar API refuses to delete them under a plage or an absence (security issue 10.10). Rows made
from now on carry it from the start; this marks the existing ones: the rules of the plages, the counters'
default « toujours ouvert » rules, the closures of the absences. Plain SQL, the same on both engines."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-01T18:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "mark the module's calendar rules and closures as its own"

RULES = """
UPDATE core_calendar_rule SET source_plugin = 'rdv_service_public'
WHERE source_plugin = '' AND (
    id IN (SELECT rule FROM rdv_service_public_plage WHERE rule IS NOT NULL)
    OR (tags LIKE '%rdv:toujours-ouvert%'
        AND calendar IN (SELECT id FROM core_calendar WHERE owner_kind = 'rdv_service_public.guichet')))
"""
CLOSURES = """
UPDATE core_calendar_closure SET source_plugin = 'rdv_service_public'
WHERE source_plugin = '' AND id IN (SELECT closure FROM rdv_service_public_absence WHERE closure IS NOT NULL)
"""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="rdv_service_public", description=DESCRIPTION)

    async def mark() -> None:
        db = engine_finder()
        await db.run_ddl(RULES)
        await db.run_ddl(CLOSURES)

    manager.add_raw(mark)
    return manager
