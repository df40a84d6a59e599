"""« Supprimer les données du module » for an office: the module's rows, and what they hold on the core
calendars (the appointments' bookings are cancelled, the plages' rules and the absences' closures deleted),
so that nothing of the module still occupies an agenda. Runs inside the core's transaction."""

from __future__ import annotations

import contextlib

from core.plugin_api import Conflict, NotFound
from core.plugin_api import calendar as cal
from plugins.rdv_service_public.tables import TABLES, Absence, Plage, Rdv

REASON = "Données du module de prise de rendez-vous supprimées"


async def purge_office(organisation_id: int, office_id: int) -> None:
    mine = (Rdv.organisation == organisation_id) & (Rdv.office == office_id) & (Rdv.status != "annule")
    for row in await Rdv.select(Rdv.booking, Rdv.guichet_booking).where(mine):
        for booking_id in (row["booking"], row["guichet_booking"]):
            if booking_id is not None:
                with contextlib.suppress(Conflict, NotFound):  # already cancelled or gone
                    await cal.cancel(organisation_id, booking_id, reason=REASON)
    plages = await Plage.select(Plage.rule).where(
        (Plage.organisation == organisation_id) & (Plage.office == office_id) & Plage.rule.is_not_null())
    for row in plages:
        with contextlib.suppress(NotFound):
            await cal.delete_rule(organisation_id, row["rule"])
    absences = await Absence.select(Absence.closure).where(
        (Absence.organisation == organisation_id) & (Absence.office == office_id) & Absence.closure.is_not_null())
    for row in absences:
        with contextlib.suppress(NotFound):
            await cal.delete_closure(organisation_id, row["closure"])
    for table in reversed(TABLES):  # children before the tables they reference
        await table.delete().where((table.organisation == organisation_id) & (table.office == office_id))
