"""The public booking path: take the first of several calendars free at a given time, in one write transaction
and without a search. Loads the candidates once (four queries, whatever their number), picks in Python the
first whose opening serving the tags holds the interval, and checks its capacity on the bookings overlapping
the interval: under `BEGIN IMMEDIATE` on SQLite (the snapshot is the truth: nobody else writes), after
`SELECT … FOR UPDATE` of that calendar on PostgreSQL, re-reading its overlapping bookings with one indexed
query (a candidate filled meanwhile by another process is skipped for the next; one another transaction holds
is tried again after the others, so concurrent bookings of one start do not queue behind the first agent)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from datetime import datetime

from core import db
from core.calendar import journal
from core.calendar.booking import SlotTaken, _check_times, _in_the_past, booking_out, insert_booking
from core.calendar.loading import LOOK_BACK_SECONDS, CalendarData, load
from core.calendar.rows import fetch
from core.calendar.schemas import BookingOut
from core.calendar.sweep import Busy, load_profile, merge, peak
from core.ops.metrics import counted_booking


def serving_opening(data: CalendarData, s: int, e: int, location: str | None,
                    step: int | None = None) -> tuple[int, str] | None:
    """(capacity, location) of the best opening holding [s, e) (at `location` when given; with `s` on its grid
    of `step` seconds from its start when given) if no closure meets it, else None. `data.openings` were
    loaded for the wanted tags."""
    best: tuple[int, str] | None = None
    for o_start, o_end, capacity, where in data.openings:
        if o_start <= s and e <= o_end and (location is None or where == location) and (
                step is None or (s - o_start) % step == 0) and (best is None or capacity > best[0]):
            best = (capacity, where)
    if best is None:
        return None
    starts, ends = merge(data.closures)
    return None if any(cs < e and ce > s for cs, ce in zip(starts, ends, strict=True)) else best


async def overlapping(calendar_id: int, s: int, e: int) -> Busy:
    """Confirmed bookings of one calendar meeting [s, e): one query on the (calendar, start_ts, …) index."""
    rows = await fetch("SELECT start_ts, end_ts, seats FROM core_calendar_booking WHERE calendar = ? "
                       "AND start_ts >= ? AND start_ts < ? AND end_ts > ? AND status = 'confirmed'",
                       (calendar_id, s - LOOK_BACK_SECONDS, e, s))
    return Busy.of((row[0], row[1], row[2]) for row in rows)


def _free(busy: Busy, capacity: int, s: int, e: int) -> int:
    points, levels = load_profile(busy)
    return capacity - peak(points, levels, s, e)


Candidate = tuple[CalendarData, tuple[int, str]]


async def _lock_first_free(candidates: list[Candidate], s: int, e: int, seats: int) -> Candidate | None:
    """PostgreSQL: lock (`FOR UPDATE`) the first candidate still free once locked, re-reading its overlapping
    bookings. Calendars another transaction holds are skipped (`SKIP LOCKED`: concurrent bookings of one start
    spread over the agents instead of queueing behind the first) and tried again a few times after short
    pauses. Never waiting for a lock while holding others (those found full stay locked till the commit) is
    what keeps two bookings from deadlocking each other."""
    waiting = candidates
    for pause in RETRY_PAUSES:
        skipped = []
        for candidate in waiting:
            cid = candidate[0].id
            if not await fetch("SELECT id FROM core_calendar WHERE id = ? FOR UPDATE SKIP LOCKED", (cid,)):
                skipped.append(candidate)  # held by another transaction (or deleted meanwhile)
            elif _free(await overlapping(cid, s, e), candidate[1][0], s, e) >= seats:
                return candidate
        if not skipped:
            return None
        waiting = skipped
        await asyncio.sleep(pause)
    return None


RETRY_PAUSES = (0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 0)  # seconds (≈ 0.9 s in all); a booking lasts a few ms


@counted_booking
async def book_first(organisation_id: int, calendar_ids: Sequence[int], start: datetime, end: datetime, *,
                     tags: Iterable[str] = (), location: str | None = None, step: int | None = None,
                     seats: int = 1, label: str = "",
                     source_plugin: str = "", source_ref: str = "", created_by: int | None = None,
                     now: datetime | None = None) -> tuple[BookingOut, str]:
    """Book the first of `calendar_ids` (in the order given; others' ids are ignored) whose opening serving
    `tags` (at `location` when given) holds [start, end) outside closures with `seats` free: (the booking,
    its opening's location). With `step` (minutes), the start must lie on the opening's grid, as the search
    offers it (every `step` minutes from the opening's start). Never outside the openings, never in the past
    (422 on `start`): the public path. SlotTaken (409) when none is free. Joins the caller's write
    transaction when there is one."""
    s, e = _check_times(start, end, seats)
    _in_the_past(s, False, now)
    ids = list(dict.fromkeys(int(i) for i in calendar_ids))
    async with db.write_transaction():
        calendars = await load(organisation_id, ids, s, e, tags=tags, settled=True)
        postgres = db.is_postgres()
        candidates = []  # open then, and free in the snapshot just read (bookings full then are not locked)
        for cid in ids:
            data = calendars.get(cid)
            opening = serving_opening(data, s, e, location, step and step * 60) if data is not None else None
            if data is not None and opening is not None and _free(data.busy, opening[0], s, e) >= seats:
                candidates.append((data, opening))
                if not postgres:  # under BEGIN IMMEDIATE the snapshot is the truth: the first candidate wins
                    break
        if not postgres:
            chosen = candidates[0] if candidates else None
        else:
            chosen = await _lock_first_free(candidates, s, e, seats)
        if chosen is not None:
            data, opening = chosen
            await journal.proposed(organisation_id, data.office, data.id, s, e, data.timezone, seats=seats,
                                   source_plugin=source_plugin, source_ref=source_ref, created_by=created_by)
            row = await insert_booking(organisation_id, data.office, data.id, s, e, seats=seats, label=label,
                                       source_plugin=source_plugin, source_ref=source_ref, created_by=created_by,
                                       outside_hours=False)
            out = booking_out(row, data.timezone)
            await journal.created(organisation_id, out)
            return out, opening[1]
    raise SlotTaken()
