"""An office's policy on French public holidays: closed on them by default, open when the office says so,
Alsace-Moselle (Good Friday, 26 December) when it is there. The policy is applied to every calendar of the
office and is the default of calendars created later; a calendar may still differ (set at its creation)."""

from __future__ import annotations

from datetime import date
from typing import Any

from core import db
from core.calendar.holidays import holidays_between
from core.calendar.schemas import OfficeHolidaysOut
from core.calendar.tables import Calendar, OfficeHolidays
from core.tenancy.scope import Scope
from core.tenancy.tables import Office

NO_OFFICE = "Ce bureau n'existe pas."


async def office_holidays(organisation_id: int, office_id: Any) -> OfficeHolidaysOut:
    """The office's policy (closed on public holidays, not Alsace-Moselle, until set)."""
    office = await Scope(organisation_id).get(Office, office_id, NO_OFFICE)
    row = await OfficeHolidays.objects().where(OfficeHolidays.office == office.id).first()
    return OfficeHolidaysOut(office_id=office.id, open_on_public_holidays=bool(row and row.open_on_public_holidays),
                             alsace_moselle=bool(row and row.alsace_moselle))


async def set_office_holidays(organisation_id: int, office_id: Any, *, open_on_public_holidays: bool,
                              alsace_moselle: bool) -> OfficeHolidaysOut:
    """Store the office's policy and apply it to all its calendars (one transaction)."""
    office = await Scope(organisation_id).get(Office, office_id, NO_OFFICE)
    async with db.write_transaction():
        row = await OfficeHolidays.objects().where(OfficeHolidays.office == office.id).first()
        if row is None:
            row = OfficeHolidays(organisation=organisation_id, office=office.id)
        row.open_on_public_holidays, row.alsace_moselle = open_on_public_holidays, alsace_moselle
        await row.save()
        await Calendar.update({Calendar.closed_on_public_holidays: not open_on_public_holidays,
                               Calendar.alsace_moselle: alsace_moselle}).where(
            (Calendar.organisation == organisation_id) & (Calendar.office == office.id))
    return OfficeHolidaysOut(office_id=office.id, open_on_public_holidays=open_on_public_holidays,
                             alsace_moselle=alsace_moselle)


async def office_closed_holidays(organisation_id: int, office_id: Any, first: date,
                                 last: date) -> list[tuple[date, str]]:
    """The public holidays on first..last the office is closed on (none when it opens on them), with their
    French names — what a planning shows on those days."""
    policy = await office_holidays(organisation_id, office_id)
    if policy.open_on_public_holidays:
        return []
    return holidays_between(first, last, policy.alsace_moselle)
