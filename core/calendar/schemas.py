"""Calendar Structs: what services return and what the API reads and writes (one Struct per direction)."""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from core.validation import HHMM, Count, Day, Id, Input, Moment, Name, Positive, TimeZoneName, text


class Slot(msgspec.Struct, frozen=True, gc=False):
    """A free slot: start/end in the calendar's zone, seats still free, the opening's location.

    (`gc=False`: a slot holds no container, and a search makes tens of thousands of them.)"""

    calendar_id: int
    start: datetime
    end: datetime
    remaining: int
    location: str = ""


class SlotRuns(msgspec.Struct, frozen=True):
    """The compact form of a search (`format=compact`): per calendar id, its free slots as runs
    `[first_start, step_minutes, count, remaining, location]` — starts first_start + k × step_minutes (real
    minutes, k < count), each slot lasting `duration` minutes, `remaining` seats free in every slot of the run,
    at that opening's location. The same slots as the full form, ordered the same way; a calendar without
    free slots has an empty list."""

    duration: int
    calendars: dict[str, list[tuple[datetime, int, int, int, str]]]


class CalendarIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    capacity: Positive = 1
    timezone: TimeZoneName | None = None
    owner_kind: text(60) = ""  # type: ignore[valid-type]
    owner_ref: text(120) = ""  # type: ignore[valid-type]
    closed_on_public_holidays: bool | None = None  # None: the office's policy (closed unless it opens on them)
    alsace_moselle: bool | None = None  # None: the office's policy


class CalendarOut(msgspec.Struct):
    id: int
    office_id: int
    name: str
    timezone: str
    capacity: int
    owner_kind: str
    owner_ref: str
    closed_on_public_holidays: bool
    ics_path: str
    alsace_moselle: bool = False


class OfficeHolidaysIn(msgspec.Struct, forbid_unknown_fields=True):
    """An office's policy on French public holidays, applied to all its calendars."""

    open_on_public_holidays: bool = False
    alsace_moselle: bool = False


class OfficeHolidaysOut(msgspec.Struct):
    office_id: int
    open_on_public_holidays: bool
    alsace_moselle: bool


class MoveIn(msgspec.Struct, forbid_unknown_fields=True):
    date: text(10)  # type: ignore[valid-type]
    start: HHMM
    end: HHMM


class RuleIn(Input, forbid_unknown_fields=True):
    """`start`/`end` local "HH:MM"; `byday` like "MO,WE" or "2TU" (monthly); `exceptions` maps an
    occurrence date "YYYY-MM-DD" to null (skip) or a move {date, start, end}."""

    start: HHMM
    end: HHMM
    first_date: Day
    freq: text(8) = "WEEKLY"  # type: ignore[valid-type]
    interval: Positive = 1
    byday: text(60) = ""  # type: ignore[valid-type]
    until: Day | None = None
    count: Positive | None = None
    exceptions: dict[text(10), MoveIn | None] = {}  # type: ignore[valid-type]
    tags: list[text(60)] = []  # type: ignore[valid-type]
    location: text(200) = ""  # type: ignore[valid-type]
    capacity: Count | None = None


class RuleOut(msgspec.Struct):
    id: int
    calendar_id: int
    start: str
    end: str
    first_date: date
    freq: str
    interval: int
    byday: str
    until: date | None
    count: int | None
    exceptions: dict[str, MoveIn | None]
    tags: list[str]
    location: str
    capacity: int | None
    source_plugin: str = ""  # the module that owns it ("" for none): only that module changes it


class ClosureIn(Input, forbid_unknown_fields=True):
    """From `first_date` at `start` to `days` days later at `end` (local); `freq` "" for a one-off."""

    first_date: Day
    start: HHMM = "00:00"
    end: HHMM = "24:00"
    days: Count = 0
    reason: text(200) = ""  # type: ignore[valid-type]
    calendar_id: Id | None = None
    freq: text(8) = ""  # type: ignore[valid-type]
    interval: Positive = 1
    byday: text(60) = ""  # type: ignore[valid-type]
    until: Day | None = None
    count: Positive | None = None


class ClosureOut(msgspec.Struct):
    id: int
    office_id: int
    calendar_id: int | None
    reason: str
    first_date: date
    start: str
    end: str
    days: int
    freq: str
    interval: int
    byday: str
    until: date | None
    count: int | None
    source_plugin: str = ""  # the module that owns it ("" for none): only that module changes it


class HistoryEntry(msgspec.Struct):
    at: datetime
    action: str
    by: int | None = None
    start: datetime | None = None
    end: datetime | None = None
    reason: str = ""


class BookingIn(Input, forbid_unknown_fields=True):
    start: Moment
    end: Moment
    seats: Positive = 1
    label: text(200) = ""  # type: ignore[valid-type]
    source_plugin: text(60) = ""  # type: ignore[valid-type]
    source_ref: text(120) = ""  # type: ignore[valid-type]
    allow_outside_hours: bool = False


class BookingMoveIn(Input, forbid_unknown_fields=True):
    start: Moment
    end: Moment
    allow_outside_hours: bool = False


class BookingCancelIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: text(200) = ""  # type: ignore[valid-type]


class BookingOut(msgspec.Struct):
    id: int
    calendar_id: int
    office_id: int
    start: datetime
    end: datetime
    seats: int
    status: str
    label: str
    source_plugin: str
    source_ref: str
    created_by: int | None
    outside_hours: bool
    history: list[HistoryEntry]
    warnings: list[str] = []  # e.g. booked after the fact (its start was already past)
