"""The office's « Examens du permis » calendar (a core calendar owned by this module): each booked exam is
one entry on it, so it shows in the office's calendar pages and ICS feed."""

from __future__ import annotations

import datetime as dt

from core.plugin_api import calendar as cal
from core.plugin_api import data
from plugins.passerelle_examens.services.common import Ctx

SOURCE = "passerelle_examens"
OWNER_KIND, OWNER_REF = "module", "passerelle_examens.examens"
NAME = "Examens du permis"
CAPACITY = 500  # several élèves sit exams at the same time: the provider, not this calendar, counts places


async def find(c: Ctx) -> cal.CalendarOut | None:
    for row in await cal.list_calendars(c.organisation_id, c.office_id):
        if row.owner_kind == OWNER_KIND and row.owner_ref == OWNER_REF:
            return row
    return None


async def calendar_id(c: Ctx) -> int:
    """The office's exam calendar, created on first use (call inside the write transaction)."""
    await data.lock(f"{SOURCE}:calendar:{c.office_id}")
    found = await find(c)
    if found is not None:
        return found.id
    created = await cal.create_calendar(c.organisation_id, c.office_id, NAME, capacity=CAPACITY,
                                        owner_kind=OWNER_KIND, owner_ref=OWNER_REF)
    await cal.add_opening_rule(c.organisation_id, created.id, cal.RuleIn(
        start="00:00", end="24:00", first_date=dt.date(2000, 1, 1), freq="DAILY", capacity=CAPACITY),
        source_plugin=SOURCE)
    return created.id


async def add(c: Ctx, start: dt.datetime, end: dt.datetime, label: str, ref: str) -> int:
    booking = await cal.book(c.organisation_id, await calendar_id(c), start, end, label=label,
                             source_plugin=SOURCE, source_ref=ref,
                             created_by=c.actor.member_id if c.actor else None, allow_outside_hours=True)
    return booking.id


async def move(c: Ctx, booking_id: int, start: dt.datetime, end: dt.datetime) -> None:
    await cal.move(c.organisation_id, booking_id, start, end, by=c.actor.member_id if c.actor else None,
                   allow_outside_hours=True)


async def remove(c: Ctx, booking_id: int, reason: str) -> None:
    await cal.cancel(c.organisation_id, booking_id, by=c.actor.member_id if c.actor else None, reason=reason)
