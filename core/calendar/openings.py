"""From stored rows to UTC intervals: opening occurrences (with exceptions), closures, public holidays."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from core.calendar.holidays import holidays_between
from core.calendar.recurrence import LocalClock, Recurrence, RecurrenceError, parse_byday
from core.calendar.rows import as_date, as_json


def parse_hhmm(text: Any, label: str = "L'heure") -> int:
    """'09:30' → 570 minutes; '24:00' is allowed as an end of day."""
    try:
        hours, minutes = str(text).strip().split(":")
        value = int(hours) * 60 + int(minutes)
        if not (0 <= int(minutes) < 60 and 0 <= value <= 1440):
            raise ValueError
    except ValueError:
        raise RecurrenceError(f"{label} doit être au format HH:MM (ex. 09:30).") from None
    return value


def hhmm(minute: int) -> str:
    """570 → '09:30'; 1440 stays '24:00' (end of day); an end past midnight (1560) reads '02:00'."""
    if minute > 1440:
        minute -= 1440
    return f"{minute // 60:02d}:{minute % 60:02d}"


def end_minute(start: int, end: int) -> int | None:
    """An opening's end as minutes from the start day's midnight: '00:00' is the end of the day, an end
    before the start is on the next day (a night service 22:00–02:00 → 1320–1560). None when end = start."""
    if end == 0:
        return 1440
    if end < start:
        return end + 1440
    return None if end == start else end


@dataclass(frozen=True, slots=True)
class Move:
    day: date
    start_minute: int
    end_minute: int


Exceptions = dict[date, Move | None]


def parse_exceptions(raw: Any) -> Exceptions:
    """{"2026-03-10": null} skips that date; {"2026-03-10": {"date": "2026-03-12", "start": "14:00",
    "end": "16:00"}} moves it."""
    result: Exceptions = {}
    for key, value in (as_json(raw) or {}).items():
        try:
            original = date.fromisoformat(key)
        except ValueError:
            raise RecurrenceError(f"Date d'exception invalide : « {key} » (AAAA-MM-JJ).") from None
        if value is None:
            result[original] = None
            continue
        try:
            target = date.fromisoformat(str(value["date"]))
        except (KeyError, TypeError, ValueError):
            raise RecurrenceError(f"Le déplacement du {key} doit donner une date AAAA-MM-JJ.") from None
        start = parse_hhmm(value.get("start"), "L'heure de début du déplacement")
        end = end_minute(start, parse_hhmm(value.get("end"), "L'heure de fin du déplacement"))
        if end is None:
            raise RecurrenceError(f"Le déplacement du {key} doit finir après son début.")
        result[original] = Move(target, start, end)
    return result


def dump_exceptions(exceptions: Exceptions) -> dict[str, Any]:
    return {day.isoformat(): None if move is None else
            {"date": move.day.isoformat(), "start": hhmm(move.start_minute), "end": hhmm(move.end_minute)}
            for day, move in sorted(exceptions.items())}


def recurrence_of(first_date: Any, freq: str, interval: int, byday: str, until: Any, count: Any) -> Recurrence:
    return Recurrence(as_date(first_date), freq or "", interval or 1, parse_byday(byday or ""),  # type: ignore[arg-type]
                      as_date(until), count)


def rule_occurrences(recurrence: Recurrence, start_minute: int, end_minute: int, exceptions: Exceptions,
                     first: date, last: date) -> list[tuple[date, int, int]]:
    """(local date, start minute, end minute) of every occurrence falling on first..last, exceptions applied."""
    out = [(day, start_minute, end_minute) for day in recurrence.dates(first, last) if day not in exceptions]
    for original, move in exceptions.items():
        if move is not None and first <= move.day <= last and recurrence.occurs_on(original):
            out.append((move.day, move.start_minute, move.end_minute))
    return out


def span(recurrence: Recurrence, exceptions: Exceptions, extra_days: int = 0) -> tuple[date, date | None]:
    """The first and last dates any occurrence can touch (None: endless) — stored to filter rules in SQL."""
    moves = [m.day for m in exceptions.values() if m is not None]
    last = recurrence.last_date()
    if last is not None:
        last = max([last, *moves]) + timedelta(days=extra_days)
    return min([recurrence.first_date, *moves]), last


def closure_intervals(row: Sequence[Any], clock: LocalClock, first: date, last: date) -> list[tuple[int, int]]:
    """UTC intervals of a closure row (office, calendar, first_date, start_minute, days, end_minute, freq,
    interval, byday, until, count) whose occurrences touch first..last."""
    recurrence = recurrence_of(row[2], row[6], row[7], row[8], row[9], row[10])
    days = row[4] or 0
    return [(clock.ts(day, row[3]), clock.ts(day + timedelta(days=days), row[5]))
            for day in recurrence.dates(first - timedelta(days=days), last)]


def holiday_intervals(clock: LocalClock, first: date, last: date,
                      alsace_moselle: bool = False) -> list[tuple[int, int]]:
    return [(clock.ts(day, 0), clock.ts(day, 1440)) for day, _ in holidays_between(first, last, alsace_moselle)]
