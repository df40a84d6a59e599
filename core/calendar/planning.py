"""The week/day planning of an office's calendars, as plain data for templates (core's page and modules')."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from core.calendar.booking import bookings_between
from core.calendar.holiday_policy import office_closed_holidays
from core.calendar.loading import load
from core.calendar.schemas import BookingOut, CalendarOut
from core.calendar.services import list_calendars
from core.calendar.sweep import merge

DAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTH_NAMES = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
               "novembre", "décembre")


def french_date(day: date) -> str:
    return f"{DAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


@dataclass
class Cell:
    openings: list[str] = field(default_factory=list)  # "09:00–12:00"
    closed: list[str] = field(default_factory=list)
    bookings: list[BookingOut] = field(default_factory=list)


@dataclass
class Planning:
    view: str
    days: list[date]
    labels: list[str]
    calendars: list[CalendarOut]
    cells: dict[tuple[int, date], Cell]
    previous: date
    next: date
    holidays: dict[date, str] = field(default_factory=dict)  # public holidays the office is closed on

    def cell(self, calendar_id: int, day: date) -> Cell:
        return self.cells.get((calendar_id, day)) or Cell()


def _span(s: int, e: int, zone: ZoneInfo) -> tuple[date, str]:
    start, end = datetime.fromtimestamp(s, zone), datetime.fromtimestamp(e, zone)
    return start.date(), f"{start:%H:%M}–{end:%H:%M}"


async def planning(organisation_id: int, office_id: int, day: date, view: str = "week") -> Planning:
    """Openings, closures and bookings of every calendar of the office for the week (Monday first) or day."""
    view = "day" if view == "day" else "week"
    first = day - timedelta(days=day.weekday()) if view == "week" else day
    days = [first + timedelta(days=i) for i in range(7 if view == "week" else 1)]
    calendars = await list_calendars(organisation_id, office_id)
    cells: dict[tuple[int, date], Cell] = {}
    if calendars:
        zone = ZoneInfo(calendars[0].timezone)
        start = datetime.combine(days[0], datetime.min.time(), zone)
        end = datetime.combine(days[-1] + timedelta(days=1), datetime.min.time(), zone)
        data = await load(organisation_id, [c.id for c in calendars], int(start.timestamp()), int(end.timestamp()))
        for cid, item in data.items():
            tz = ZoneInfo(item.timezone)
            for s, e, _, _ in sorted(item.openings):
                d, text = _span(s, e, tz)
                cells.setdefault((cid, d), Cell()).openings.append(text)
            for s, e in zip(*merge(item.closures), strict=True):
                d, text = _span(max(s, int(start.timestamp())), e, tz)
                cells.setdefault((cid, d), Cell()).closed.append(text)
        for booking in await bookings_between(organisation_id, [c.id for c in calendars], start, end):
            cells.setdefault((booking.calendar_id, booking.start.date()), Cell()).bookings.append(booking)
    step = timedelta(days=len(days))
    holidays = dict(await office_closed_holidays(organisation_id, office_id, days[0], days[-1]))
    labels = [french_date(d) + (f" — {holidays[d]} (férié)" if d in holidays else "") for d in days]
    return Planning(view, days, labels, calendars, cells, first - step, first + step, holidays)
