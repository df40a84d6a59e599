"""Taking and freeing an appointment's places on the core calendars (inside the caller's transaction).

`calendar.book` refuses overbooking under any concurrency (it holds the calendar); outside the agenda's
openings serving the motif the agent's confirmation is needed. Sittings of a collective motif share one
booking: joining one is serialised by the module's lock (the calendar's cannot see the participants)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime

from core.plugin_api import Conflict, data
from core.plugin_api import calendar as cal
from plugins.rdv_service_public.services import agendas, availability
from plugins.rdv_service_public.services.availability import Agenda
from plugins.rdv_service_public.services.common import Ctx
from plugins.rdv_service_public.tables import Motif, Rdv

SOURCE = "rdv_service_public"
OutsideCheck = Callable[[], None]  # raises when the booking may not be outside the opening hours


async def _book(ctx: Ctx, agenda: Agenda, motif: Motif, start: datetime, end: datetime, label: str,
                outside: OutsideCheck | None, taken: str) -> int:
    calendar = await agendas.calendar_id(ctx, *agenda)
    member = ctx.actor.member_id if ctx.actor else None
    serving = await availability.serves(ctx, agenda, start, end, motif)
    try:
        booking = await cal.book(ctx.organisation_id, calendar, start, end, label=label, source_plugin=SOURCE,
                                 created_by=member, allow_outside_hours=False)
    except cal.OutsideHours:
        if outside is None:
            raise cal.SlotTaken(taken) from None
        outside()
        try:
            booking = await cal.book(ctx.organisation_id, calendar, start, end, label=label, source_plugin=SOURCE,
                                     created_by=member, allow_outside_hours=True)
        except cal.SlotTaken:
            raise cal.SlotTaken(taken) from None
    except cal.SlotTaken:
        raise cal.SlotTaken(taken) from None
    if not serving:  # open, but not for this motif
        if outside is None:
            raise cal.SlotTaken(taken)
        outside()
    return booking.id


async def take(ctx: Ctx, agenda_list: list[tuple[Agenda, str]], motif: Motif, start: datetime, end: datetime,
               label: str, outside: OutsideCheck | None, exclude: int | None = None) -> list[int]:
    """Book each agenda (with the message to raise when it is full); a collective motif joins the sitting."""
    if motif.collective:
        await data.lock(f"{SOURCE}:{ctx.office_id}")
        first = agenda_list[0][0]
        sitting = list(await availability.sitting_query(ctx, motif, first, start, exclude))
        if sitting:
            if len(sitting) >= max(1, motif.max_participants):
                raise cal.SlotTaken(agenda_list[0][1])
            return [b for b in (sitting[0].booking, sitting[0].guichet_booking) if b is not None]
    return [await _book(ctx, agenda, motif, start, end, label, outside, taken) for agenda, taken in agenda_list]


def assign(rdv: Rdv, bookings: list[int]) -> None:
    rdv.booking = bookings[0] if bookings else None
    rdv.guichet_booking = bookings[1] if len(bookings) > 1 else None


async def release(ctx: Ctx, rdv: Rdv) -> None:
    """Free the appointment's places (a collective sitting's booking once its last participant left)."""
    for booking in (rdv.booking, rdv.guichet_booking):
        if booking is None:
            continue
        others = await ctx.objects(Rdv).where(
            ((Rdv.booking == booking) | (Rdv.guichet_booking == booking)) & (Rdv.id != rdv.id)
            & Rdv.status.is_in(list(availability.ACTIVE))).first()
        if others is None:
            with contextlib.suppress(Conflict):  # already cancelled
                await cal.cancel(ctx.organisation_id, booking, by=ctx.actor.member_id if ctx.actor else None)
    assign(rdv, [])
