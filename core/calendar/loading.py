"""Loading what a search or a booking check needs: one query per table, then plain integer intervals."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from core.calendar.openings import closure_intervals, holiday_intervals, parse_exceptions, rule_occurrences
from core.calendar.recurrence import LocalClock, Recurrence, parse_byday
from core.calendar.rows import as_date, date_arg, fetch, id_list
from core.calendar.sweep import Busy, Interval, Opening

MAX_BOOKING_SECONDS = 24 * 3600  # a booking lasts at most a day: bounds the bookings query on the left


@dataclass(slots=True)
class CalendarData:
    id: int
    office: int
    timezone: str
    capacity: int
    clock: LocalClock
    openings: list[Opening] = field(default_factory=list)  # (start, end, capacity, location)
    closures: list[Interval] = field(default_factory=list)
    busy: list[Busy] = field(default_factory=list)


@lru_cache(maxsize=4096)
def _byday(text: str) -> tuple[tuple[int, int], ...]:
    return parse_byday(text)


@lru_cache(maxsize=64)
def _clock_zone(name: str) -> LocalClock:
    return LocalClock(name)


def _day(ts: int) -> date:
    return datetime.fromtimestamp(ts, UTC).date()


async def load(organisation_id: int, calendar_ids: Iterable[int], start_ts: int, end_ts: int, *,
               tags: Iterable[str] = (), busy_margin: int = 0, exclude_booking: int | None = None,
               ) -> dict[int, CalendarData]:
    """Calendars of the organisation among `calendar_ids` (missing ones are simply absent), with their
    openings, closures (own, office-wide, public holidays) and confirmed bookings touching
    [start_ts, end_ts] (bookings: widened by `busy_margin` for buffers)."""
    ids = id_list(calendar_ids)
    calendars: dict[int, CalendarData] = {}
    holiday_zones: set[int] = set()
    for cid, office, zone, capacity, holidays in await fetch(
        "SELECT id, office, timezone, capacity, closed_on_public_holidays FROM core_calendar "
        f"WHERE organisation = ? AND id IN ({ids})", (organisation_id,)
    ):
        calendars[cid] = CalendarData(cid, office, zone, capacity, _clock_zone(zone))
        if holidays:
            holiday_zones.add(cid)
    if not calendars:
        return calendars
    ids = id_list(calendars)
    first, last = _day(start_ts) - timedelta(days=1), _day(end_ts) + timedelta(days=1)
    wanted = frozenset(tags)
    for (cid, start_minute, end_minute, first_date, freq, interval, byday, until, count, exceptions, rule_tags,
         location, capacity) in await fetch(
        "SELECT calendar, start_minute, end_minute, first_date, freq, every, byday, until, count, exceptions, "
        f"tags, location, capacity FROM core_calendar_rule WHERE calendar IN ({ids}) "
        "AND span_start <= ? AND (span_end IS NULL OR span_end >= ?)", (date_arg(last), date_arg(first))
    ):
        if wanted and rule_tags and not wanted.issubset(rule_tags.split(",")):
            continue
        data = calendars[cid]
        recurrence = Recurrence(as_date(first_date), freq, interval, _byday(byday), as_date(until), count)  # type: ignore[arg-type]
        skips = parse_exceptions(exceptions) if exceptions not in ("{}", {}, None) else {}
        seats = capacity or data.capacity
        ts = data.clock.ts
        for day, s_min, e_min in rule_occurrences(recurrence, start_minute, end_minute, skips, first, last):
            s, e = ts(day, s_min), ts(day, e_min)
            if s < end_ts and e > start_ts:
                data.openings.append((s, e, seats, location))
    offices = id_list({c.office for c in calendars.values()})
    for row in await fetch(
        "SELECT office, calendar, first_date, start_minute, days, end_minute, freq, every, byday, until, count "
        f"FROM core_calendar_closure WHERE office IN ({offices}) AND (calendar IS NULL OR calendar IN ({ids})) "
        "AND span_start <= ? AND (span_end IS NULL OR span_end >= ?)", (date_arg(last), date_arg(first))
    ):
        targets = [calendars[row[1]]] if row[1] is not None else [c for c in calendars.values() if c.office == row[0]]
        for data in targets:
            data.closures.extend(closure_intervals(row, data.clock, first, last))
    for cid in holiday_zones:
        data = calendars[cid]
        data.closures.extend(holiday_intervals(data.clock, first, last))
    low, high = start_ts - busy_margin, end_ts + busy_margin
    for row in await fetch(
        "SELECT calendar, start_ts, end_ts, seats FROM core_calendar_booking "
        f"WHERE calendar IN ({ids}) AND start_ts >= ? AND start_ts < ? AND end_ts > ? AND status = 'confirmed'"
        + (f" AND id <> {int(exclude_booking)}" if exclude_booking is not None else ""),
        (low - MAX_BOOKING_SECONDS, high, low),
    ):
        calendars[row[0]].busy.append(row[1:])
    return calendars
