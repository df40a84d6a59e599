"""The citizen's slot list a week at a time: the nearest week with a free slot first, then « semaine
suivante / précédente » within the motif's booking delays."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from plugins.rdv_service_public.services import availability
from plugins.rdv_service_public.services.common import Ctx
from plugins.rdv_service_public.services.public import MONTH, bounds
from plugins.rdv_service_public.tables import Motif

WEEK = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Week:
    first_day: date  # the first day shown (local)
    last_day: date  # the last day shown (local, included)
    days: dict[date, list[availability.Slot]] = field(default_factory=dict)
    previous: date | None = None  # first day of the previous week, when it is still bookable
    next: date | None = None  # first day of the next week, when it is still bookable

    @property
    def count(self) -> int:
        return sum(len(slots) for slots in self.days.values())


def _midnight(day: date, c: Ctx) -> datetime:
    return availability.utc(datetime.combine(day, time(0), c.tz))


async def _free(c: Ctx, motif: Motif, lieu_id: int | None, begin: datetime, end: datetime,
                first: datetime, last: datetime) -> list[availability.Slot]:
    begin, end = max(begin, first), min(end, last + timedelta(minutes=1))
    if end <= begin:
        return []
    found = await availability.free_slots(c, motif, begin, end, lieu_id)
    return sorted((s for s in found if first <= s.start <= last), key=lambda s: s.start)


async def week(c: Ctx, motif: Motif, lieu_id: int | None, wanted: date | None = None,
               moment: datetime | None = None) -> Week:
    """The seven days from `wanted` (clamped to the bookable range); without `wanted`, from the day of the
    nearest free slot (searched over a month), so the first page is never an empty week."""
    first, last = bounds(motif, moment)
    first_day, last_day = first.astimezone(c.tz).date(), last.astimezone(c.tz).date()
    if wanted is None:
        nearest = await _free(c, motif, lieu_id, first, first + MONTH, first, last)
        wanted = nearest[0].start.astimezone(c.tz).date() if nearest else first_day
    start = min(max(wanted, first_day), last_day)
    end = start + WEEK
    days: dict[date, list[availability.Slot]] = {}
    for slot in await _free(c, motif, lieu_id, _midnight(start, c), _midnight(end, c), first, last):
        days.setdefault(slot.start.astimezone(c.tz).date(), []).append(slot)
    previous = max(start - WEEK, first_day) if start > first_day else None
    if previous is not None and not await _free(c, motif, lieu_id, _midnight(previous, c), _midnight(start, c),
                                                first, last):
        previous = None  # nothing bookable before this week: no link to an empty one
    return Week(start, end - timedelta(days=1), days, previous, end if end <= last_day else None)
