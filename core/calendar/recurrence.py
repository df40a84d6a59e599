"""Recurrence (RFC 5545 subset) over local dates, and local wall-clock → UTC conversion.

Pure Python, no I/O. A `Recurrence` yields dates; times are applied afterwards in the calendar's zone, so
"09:00 every Monday" stays 09:00 on both sides of a DST change. Semantics follow dateutil's rrule (WKST=MO,
only dates matching the rule count, COUNT counts occurrences before exceptions are applied).
"""

from __future__ import annotations

import calendar as _calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

FREQS = ("DAILY", "WEEKLY", "MONTHLY")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_BYDAY_RE = re.compile(r"^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$")
_MAX_PERIODS = 200_000


class RecurrenceError(ValueError):
    """A rule that cannot be understood; the message is French and names the problem, `field` the input."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def parse_byday(text: str) -> tuple[tuple[int, int], ...]:
    """'MO,WE' → ((0, 0), (2, 0)); '2TU' → ((1, 2),) (2nd Tuesday); '-1FR' → ((4, -1),) (last Friday)."""
    items = []
    for raw in text.replace(" ", "").upper().split(","):
        if not raw:
            continue
        match = _BYDAY_RE.match(raw)
        if not match:
            raise RecurrenceError(f"Jour de récurrence invalide : « {raw} » (ex. MO, TU, 2TU, -1FR).", field="byday")
        items.append((WEEKDAYS.index(match.group(2)), int(match.group(1) or 0)))
    return tuple(sorted(set(items)))


@dataclass(frozen=True, slots=True)
class Recurrence:
    """`freq` "" means a single occurrence on `first_date`."""

    first_date: date
    freq: str = ""
    interval: int = 1
    byday: tuple[tuple[int, int], ...] = ()
    until: date | None = None
    count: int | None = None

    def __post_init__(self) -> None:
        if self.freq and self.freq not in FREQS:
            raise RecurrenceError("Fréquence inconnue (DAILY, WEEKLY ou MONTHLY).", field="freq")
        if self.interval < 1 or self.interval > 366:
            raise RecurrenceError("L'intervalle doit être compris entre 1 et 366.", field="interval")
        if self.count is not None and self.count < 1:
            raise RecurrenceError("Le nombre d'occurrences doit être positif.", field="count")
        if self.count is not None and self.until is not None:
            raise RecurrenceError("Choisissez une date de fin ou un nombre d'occurrences, pas les deux.", field="count")
        if self.until is not None and self.until < self.first_date:
            raise RecurrenceError("La date de fin précède la date de début.", field="until")
        if self.freq != "MONTHLY" and any(n for _, n in self.byday):
            raise RecurrenceError("Un rang (ex. 2TU) n'a de sens qu'en récurrence mensuelle.", field="byday")

    def _period_candidates(self, k: int) -> list[date]:
        first = self.first_date
        if self.freq == "DAILY":
            day = first + timedelta(days=k * self.interval)
            if self.byday and day.weekday() not in {wd for wd, _ in self.byday}:
                return []
            return [day]
        if self.freq == "WEEKLY":
            monday = first - timedelta(days=first.weekday()) + timedelta(weeks=k * self.interval)
            weekdays = sorted({wd for wd, _ in self.byday}) or [first.weekday()]
            return [monday + timedelta(days=wd) for wd in weekdays]
        month_index = first.year * 12 + first.month - 1 + k * self.interval
        year, month = divmod(month_index, 12)
        month += 1
        if year > 9999:
            return []
        if not self.byday:
            days_in = _calendar.monthrange(year, month)[1]
            return [date(year, month, first.day)] if first.day <= days_in else []
        return _monthly_byday(year, month, self.byday)

    def _period_start(self, k: int) -> date:
        first = self.first_date
        if self.freq == "DAILY":
            return first + timedelta(days=k * self.interval)
        if self.freq == "WEEKLY":
            return first - timedelta(days=first.weekday()) + timedelta(weeks=k * self.interval)
        year, month = divmod(first.year * 12 + first.month - 1 + k * self.interval, 12)
        return date(min(year, 9999), month + 1, 1)

    def _first_period(self, start: date) -> int:
        """The first period that can hold a date ≥ start (0 when COUNT forces counting from the start)."""
        if self.count is not None or start <= self.first_date:
            return 0
        if self.freq == "DAILY":
            return (start - self.first_date).days // self.interval
        if self.freq == "WEEKLY":
            return max(0, (start - self.first_date).days // 7 // self.interval - 1)
        months = (start.year - self.first_date.year) * 12 + start.month - self.first_date.month
        return max(0, months // self.interval - 1)

    def dates(self, start: date, end: date) -> Iterator[date]:
        """Occurrence dates d with start ≤ d ≤ end, in order."""
        first, until, count = self.first_date, self.until, self.count
        if not self.freq:
            if start <= first <= end:
                yield first
            return
        last = min(end, until) if until else end
        if count is None and self.freq in ("DAILY", "WEEKLY"):
            yield from self._fast_dates(max(start, first), last)
            return
        seen = 0
        k0 = self._first_period(start)
        for k in range(k0, k0 + _MAX_PERIODS):
            candidates = self._period_candidates(k)
            if (candidates and candidates[0] > last) or (not candidates and self._period_start(k) > last):
                return
            for day in candidates:
                if day < first:
                    continue
                if day > last or (count is not None and seen >= count):
                    return
                seen += 1
                if day >= start:
                    yield day

    def ordinals(self, start: date, end: date) -> list[int]:
        """`dates` as proleptic ordinals (what the slot search turns into instants, without a `date` each)."""
        if self.count is None and self.freq in ("DAILY", "WEEKLY"):
            last = min(end, self.until) if self.until else end
            return self._fast_ordinals(max(start, self.first_date), last)
        return [day.toordinal() for day in self.dates(start, end)]

    def _fast_dates(self, start: date, last: date) -> Iterator[date]:
        return map(date.fromordinal, self._fast_ordinals(start, last))

    def _fast_ordinals(self, start: date, last: date) -> list[int]:
        """DAILY/WEEKLY without COUNT: plain ordinal arithmetic from the period holding `start`."""
        first = self.first_date
        low, high = start.toordinal(), last.toordinal()
        if low > high:
            return []
        if self.freq == "DAILY":
            allowed = {wd for wd, _ in self.byday}
            origin = first.toordinal()
            days = range(origin + -(-(low - origin) // self.interval) * self.interval, high + 1, self.interval)
            if not allowed:
                return list(days)
            return [day for day in days if (day - 1) % 7 in allowed]  # ordinal 1 (0001-01-01) is a Monday
        offsets = sorted({wd for wd, _ in self.byday}) or [first.weekday()]
        step = 7 * self.interval
        week0 = first.toordinal() - first.weekday()
        base = week0 + max(0, (low - week0) // step) * step
        if len(offsets) == 1:
            return [day for day in range(base + offsets[0], high + 1, step) if day >= low]
        return [day for week in range(base, high + 1, step) for day in (week + offset for offset in offsets)
                if low <= day <= high]

    def last_date(self) -> date | None:
        """The last occurrence date, or None for an endless rule."""
        if not self.freq:
            return self.first_date
        if self.until is None and self.count is None:
            return None
        result = None
        for day in self.dates(self.first_date, self.until or date(9999, 12, 31)):
            result = day
        return result

    def occurs_on(self, day: date) -> bool:
        return next(self.dates(day, day), None) is not None


def _monthly_byday(year: int, month: int, byday: tuple[tuple[int, int], ...]) -> list[date]:
    days_in = _calendar.monthrange(year, month)[1]
    first_wd = date(year, month, 1).weekday()
    found = set()
    for wd, n in byday:
        first_day = 1 + (wd - first_wd) % 7
        matches = list(range(first_day, days_in + 1, 7))
        if n == 0:
            found.update(matches)
        elif n > 0 and n <= len(matches):
            found.add(matches[n - 1])
        elif n < 0 and -n <= len(matches):
            found.add(matches[n])
    return [date(year, month, d) for d in sorted(found)]


class LocalClock:
    """Converts (local date, minute of day) to UTC epoch seconds in one zone, with a cache.

    A wall-clock time that does not exist (skipped by a DST jump) resolves with the offset before the
    jump (fold=0), so 02:30 on the March change reads as 03:30 summer time; an ambiguous one (October)
    takes its first occurrence."""

    __slots__ = ("_cache", "zone")

    def __init__(self, zone: str | ZoneInfo) -> None:
        self.zone = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
        self._cache: dict[int, int] = {}  # ordinal << 11 | minute -> epoch seconds

    def ts(self, day: date, minute: int) -> int:
        return self.at(day.toordinal(), minute)

    def at(self, ordinal: int, minute: int) -> int:
        """`ts` of the day with that proleptic ordinal."""
        if not 0 <= minute < 1440:
            ordinal, minute = ordinal + minute // 1440, minute % 1440
        key = ordinal << 11 | minute
        value = self._cache.get(key)
        if value is None:
            day = date.fromordinal(ordinal)
            value = self._cache[key] = int(datetime(day.year, day.month, day.day, minute // 60, minute % 60,
                                                    tzinfo=self.zone).timestamp())
        return value

    def local_date(self, ts: int) -> date:
        return datetime.fromtimestamp(ts, self.zone).date()
