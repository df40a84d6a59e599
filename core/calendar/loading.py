"""Loading what a search or a booking check needs: one query per table, then plain integer intervals."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from operator import itemgetter
from typing import Any

import msgspec

from core import db
from core.calendar.openings import closure_intervals, holiday_intervals, parse_exceptions, rule_occurrences
from core.calendar.recurrence import LocalClock, Recurrence, parse_byday
from core.calendar.rows import as_date, date_arg, fetch, id_list, ints, json_rows
from core.calendar.sweep import Busy, Interval, Opening

MAX_BOOKING_SECONDS = 24 * 3600  # a booking lasts at most 24 real hours (checked on instants, not wall clocks)
# How far before an interval the bookings query looks for bookings still running in it. Bookings stored before
# lengths were checked on instants could last 24 wall-clock hours, i.e. 25 real ones across the October change.
LOOK_BACK_SECONDS = MAX_BOOKING_SECONDS + 3600
Query = tuple[str, tuple[Any, ...]]


@dataclass(slots=True)
class CalendarData:
    id: int
    office: int
    timezone: str
    capacity: int
    clock: LocalClock
    openings: Sequence[Opening] = ()  # (start, end, capacity, location), sorted by start; shared: don't mutate
    closures: list[Interval] = field(default_factory=list)
    # Bookings as the database handed them over (JSON texts on SQLite, integer lists on PostgreSQL): decoded on
    # first use of `busy`, and a cheap memo key for the search (a calendar whose sweep is memoised never decodes).
    busy_raw: tuple[Any, Any, Any] = ("[]", "[]", "[]")
    _busy: Busy | None = None

    @property
    def busy(self) -> Busy:
        if self._busy is None:
            self._busy = Busy(*map(ints, self.busy_raw))
        return self._busy

    def busy_key(self) -> tuple[Any, ...]:
        """The bookings as a hashable value equal for equal bookings (texts as read, or integer tuples)."""
        return tuple(v if isinstance(v, str) else tuple(v) for v in self.busy_raw)


@lru_cache(maxsize=4096)
def _byday(text: str) -> tuple[tuple[int, int], ...]:
    return parse_byday(text)


@lru_cache(maxsize=64)
def _clock_zone(name: str) -> LocalClock:
    return LocalClock(name)


def _day(ts: int) -> date:
    return datetime.fromtimestamp(ts, UTC).date()


def window(start_ts: int, end_ts: int) -> tuple[date, date]:
    """The local days a search over [start_ts, end_ts] reads openings and closures for (± 1 day of zones)."""
    return _day(start_ts) - timedelta(days=1), _day(end_ts) + timedelta(days=1)


def calendars_query(organisation_id: int, ids: str, offices: Iterable[int] | None = None) -> Query:
    return ("SELECT id, office, timezone, capacity, closed_on_public_holidays, alsace_moselle FROM core_calendar "
            f"WHERE organisation = ? AND id IN ({ids})"
            + (f" AND office IN ({id_list(offices)})" if offices is not None else ""), (organisation_id,))


def rules_query(ids: str, first: date, last: date) -> Query:
    """One row per calendar: its rules touching first..last as one JSON text (see `_openings`)."""
    return (f"SELECT calendar, {json_rows(RULE_COLUMNS, 'id')} FROM core_calendar_rule WHERE calendar IN ({ids}) "
            "AND span_start <= ? AND (span_end IS NULL OR span_end >= ?) GROUP BY calendar",
            (date_arg(last), date_arg(first)))


def closures_query(offices: str, ids: str, first: date, last: date) -> Query:
    return ("SELECT office, calendar, first_date, start_minute, days, end_minute, freq, every, byday, until, count "
            f"FROM core_calendar_closure WHERE office IN ({offices}) AND (calendar IS NULL OR calendar IN ({ids})) "
            "AND span_start <= ? AND (span_end IS NULL OR span_end >= ?)", (date_arg(last), date_arg(first)))


def bookings_query(ids: str, low: int, high: int, exclude_booking: int | None = None) -> Query:
    """One row per calendar: starts, ends and seats of its confirmed bookings meeting [low, high), as three
    arrays (one row per calendar instead of one per booking: 40 k bookings read in 18 ms instead of 30 on
    SQLite), decoded by `rows.ints`. They come in start order (the sweep checks it): SQLite aggregates in the
    order of the (calendar, start_ts) index scan; PostgreSQL from a sorted subquery (one sort, where an
    ORDER BY inside each `array_agg` costs three)."""
    where = (f"FROM core_calendar_booking WHERE calendar IN ({ids}) AND start_ts >= ? AND start_ts < ? "
             "AND end_ts > ? AND status = 'confirmed'"
             + (f" AND id <> {int(exclude_booking)}" if exclude_booking is not None else ""))
    args = (low - LOOK_BACK_SECONDS, high, low)
    if db.is_postgres():
        return ("SELECT calendar, array_agg(start_ts), array_agg(end_ts), array_agg(seats) FROM (SELECT calendar, "
                f"start_ts, end_ts, seats {where} ORDER BY calendar, start_ts) AS b GROUP BY calendar", args)
    return (f"SELECT calendar, json_group_array(start_ts), json_group_array(end_ts), json_group_array(seats) {where} "
            "GROUP BY calendar", args)


async def load(organisation_id: int, calendar_ids: Iterable[int], start_ts: int, end_ts: int, *,
               tags: Iterable[str] = (), busy_margin: int = 0, exclude_booking: int | None = None,
               offices: Iterable[int] | None = None, settled: bool = False) -> dict[int, CalendarData]:
    """Calendars of the organisation among `calendar_ids` (and in `offices` when given; missing ones are
    simply absent), with their openings and closures (own, office-wide, public holidays) on the local days
    around [start_ts, end_ts] (callers bound them), and confirmed bookings touching it (widened by
    `busy_margin` for buffers). Four queries, whatever the number of calendars. With `settled` (the booking
    path, inside its write transaction), the calendars, rules and closures are read as committed (see
    `rows.fetch`): the caller has not changed them; the bookings are always read in the transaction."""
    calendars: dict[int, CalendarData] = {}
    holiday_zones: dict[int, bool] = {}  # calendar closed on public holidays -> Alsace-Moselle's too
    for cid, office, zone, capacity, holidays, alsace in await fetch(*calendars_query(
            organisation_id, id_list(calendar_ids), offices), committed=settled):
        calendars[cid] = CalendarData(cid, office, zone, capacity, _clock_zone(zone))
        if holidays:
            holiday_zones[cid] = bool(alsace)
    if not calendars:
        return calendars
    ids = id_list(calendars)
    first, last = window(start_ts, end_ts)
    wanted = frozenset(tags)
    for cid, rules in await fetch(*rules_query(ids, first, last), committed=settled):
        data = calendars[cid]
        data.openings = _openings(data.timezone, data.capacity, rules, first, last, wanted)
    for row in await fetch(*closures_query(id_list({c.office for c in calendars.values()}), ids, first, last),
                           committed=settled):
        targets = [calendars[row[1]]] if row[1] is not None else [c for c in calendars.values() if c.office == row[0]]
        for data in targets:
            data.closures.extend(closure_intervals(row, data.clock, first, last))
    for cid, alsace in holiday_zones.items():
        data = calendars[cid]
        data.closures.extend(holiday_intervals(data.clock, first, last, alsace))
    for cid, starts, ends, seats in await fetch(*bookings_query(ids, start_ts - busy_margin, end_ts + busy_margin,
                                                                exclude_booking)):
        calendars[cid].busy_raw = (starts, ends, seats)
    return calendars


RULE_COLUMNS = ("start_minute, end_minute, first_date, freq, every, byday, until, count, CAST(exceptions AS TEXT), "
                "tags, location, capacity")
_RULES = msgspec.json.Decoder(list[tuple[int, int, str, str, int, str, str | None, int | None, str, str, str,
                                         int | None]])


def forget_openings() -> None:
    _openings.cache_clear()
    _days.cache_clear()


@lru_cache(maxsize=4096)
def _days(first_date: str, freq: str, interval: int, byday: str, until: str | None, count: int | None, first: date,
          last: date) -> tuple[int, ...]:
    """The ordinals of a recurrence's days on first..last (calendars of an office mostly share their rules'
    recurrences, only their hours differ)."""
    recurrence = Recurrence(as_date(first_date), freq, interval, _byday(byday), as_date(until), count)  # type: ignore[arg-type]
    return tuple(recurrence.ordinals(first, last))


@lru_cache(maxsize=1024)
def _openings(zone: str, default_capacity: int, rules: str, first: date, last: date,
              tags: frozenset[str]) -> tuple[Opening, ...]:
    """The opening occurrences on first..last of one calendar's rules (RULE_COLUMNS rows as a JSON array)
    serving `tags`, sorted: a pure function of the rules' text, cached so that repeated searches over the
    same days skip the decoding and the expansion."""
    clock = _clock_zone(zone)
    ts, at = clock.ts, clock.at
    out: list[Opening] = []
    for (start_minute, end_minute, first_date, freq, interval, byday, until, count, exceptions, rule_tags, location,
         capacity) in _RULES.decode(rules):
        if tags and rule_tags and not tags.issubset(rule_tags.split(",")):
            continue
        seats = capacity or default_capacity
        if exceptions in ("{}", None):  # most rules: their days, shared by every calendar with the same recurrence
            out.extend((at(day, start_minute), at(day, end_minute), seats, location)
                       for day in _days(first_date, freq, interval, byday, until, count, first, last))
            continue
        recurrence = Recurrence(as_date(first_date), freq, interval, _byday(byday), as_date(until), count)  # type: ignore[arg-type]
        out.extend((ts(day, s_min), ts(day, e_min), seats, location) for day, s_min, e_min in rule_occurrences(
            recurrence, start_minute, end_minute, parse_exceptions(exceptions), first, last))
    out.sort(key=itemgetter(0))
    return tuple(out)
