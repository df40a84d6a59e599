"""Loading what a search or a booking check needs: one query per table, then plain integer intervals."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from typing import Any

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
    busy: list[Busy] = field(default_factory=list)  # (start, end, seats, calendar)


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
               offices: Iterable[int] | None = None) -> dict[int, CalendarData]:
    """Calendars of the organisation among `calendar_ids` (and in `offices` when given; missing ones are
    simply absent), with their openings and closures (own, office-wide, public holidays) on the local days
    around [start_ts, end_ts] (callers bound them), and confirmed bookings touching it (widened by
    `busy_margin` for buffers), sorted by start."""
    ids = id_list(calendar_ids)
    calendars: dict[int, CalendarData] = {}
    holiday_zones: set[int] = set()
    for cid, office, zone, capacity, holidays in await fetch(
        "SELECT id, office, timezone, capacity, closed_on_public_holidays FROM core_calendar "
        f"WHERE organisation = ? AND id IN ({ids})"
        + (f" AND office IN ({id_list(offices)})" if offices is not None else ""), (organisation_id,)
    ):
        calendars[cid] = CalendarData(cid, office, zone, capacity, _clock_zone(zone))
        if holidays:
            holiday_zones.add(cid)
    if not calendars:
        return calendars
    ids = id_list(calendars)
    first, last = _day(start_ts) - timedelta(days=1), _day(end_ts) + timedelta(days=1)
    wanted = frozenset(tags)
    rules: dict[int, list[tuple[Any, ...]]] = {}
    for row in await fetch(
        "SELECT calendar, start_minute, end_minute, first_date, freq, every, byday, until, count, exceptions, "
        f"tags, location, capacity FROM core_calendar_rule WHERE calendar IN ({ids}) "
        "AND span_start <= ? AND (span_end IS NULL OR span_end >= ?) ORDER BY calendar, id",
        (date_arg(last), date_arg(first)),
    ):
        if not wanted or not row[10] or wanted.issubset(row[10].split(",")):
            rules.setdefault(row[0], []).append(tuple(row[1:]))
    for cid, rows in rules.items():
        data = calendars[cid]
        data.openings = list(_openings(data.timezone, data.capacity, tuple(rows), first, last))
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
    rows = await fetch(  # (start, end, seats, calendar): usable as they come as the sweep's Busy tuples
        "SELECT start_ts, end_ts, seats, calendar FROM core_calendar_booking "
        f"WHERE calendar IN ({ids}) AND start_ts >= ? AND start_ts < ? AND end_ts > ? AND status = 'confirmed'"
        + (f" AND id <> {int(exclude_booking)}" if exclude_booking is not None else "")
        + " ORDER BY calendar, start_ts",
        (low - MAX_BOOKING_SECONDS, high, low),
    )
    for cid, group in groupby(rows, itemgetter(3)):
        calendars[cid].busy = list(group)
    return calendars


@lru_cache(maxsize=1024)
def _openings(zone: str, default_capacity: int, rules: tuple[tuple[Any, ...], ...], first: date,
              last: date) -> tuple[Opening, ...]:
    """The opening occurrences of one calendar's rules on first..last, sorted: a pure function of the rule
    rows, cached so that repeated searches over the same days skip the expansion."""
    ts = _clock_zone(zone).ts
    out: list[Opening] = []
    for (start_minute, end_minute, first_date, freq, interval, byday, until, count, exceptions, _tags, location,
         capacity) in rules:
        recurrence = Recurrence(as_date(first_date), freq, interval, _byday(byday), as_date(until), count)  # type: ignore[arg-type]
        skips = parse_exceptions(exceptions) if exceptions not in ("{}", {}, None) else {}
        seats = capacity or default_capacity
        out.extend((ts(day, s_min), ts(day, e_min), seats, location)
                   for day, s_min, e_min in rule_occurrences(recurrence, start_minute, end_minute, skips, first, last))
    out.sort(key=itemgetter(0))
    return tuple(out)
