"""Calendar Structs: what services return and what the API reads and writes (one Struct per direction)."""

from __future__ import annotations

from datetime import date, datetime

import msgspec


class Slot(msgspec.Struct, frozen=True, gc=False):
    """A free slot: start/end in the calendar's zone, seats still free, the opening's location.

    (`gc=False`: a slot holds no container, and a search makes tens of thousands of them.)"""

    calendar_id: int
    start: datetime
    end: datetime
    remaining: int
    location: str = ""


class CalendarIn(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    capacity: int = 1
    timezone: str | None = None
    owner_kind: str = ""
    owner_ref: str = ""
    closed_on_public_holidays: bool = True


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


class MoveIn(msgspec.Struct, forbid_unknown_fields=True):
    date: str
    start: str
    end: str


class RuleIn(msgspec.Struct, forbid_unknown_fields=True):
    """`start`/`end` local "HH:MM"; `byday` like "MO,WE" or "2TU" (monthly); `exceptions` maps an
    occurrence date "YYYY-MM-DD" to null (skip) or a move {date, start, end}."""

    start: str
    end: str
    first_date: date
    freq: str = "WEEKLY"
    interval: int = 1
    byday: str = ""
    until: date | None = None
    count: int | None = None
    exceptions: dict[str, MoveIn | None] = {}
    tags: list[str] = []
    location: str = ""
    capacity: int | None = None


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


class ClosureIn(msgspec.Struct, forbid_unknown_fields=True):
    """From `first_date` at `start` to `days` days later at `end` (local); `freq` "" for a one-off."""

    first_date: date
    start: str = "00:00"
    end: str = "24:00"
    days: int = 0
    reason: str = ""
    calendar_id: int | None = None
    freq: str = ""
    interval: int = 1
    byday: str = ""
    until: date | None = None
    count: int | None = None


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


class BookingIn(msgspec.Struct, forbid_unknown_fields=True):
    start: datetime
    end: datetime
    seats: int = 1
    label: str = ""
    source_plugin: str = ""
    source_ref: str = ""
    allow_outside_hours: bool = False


class BookingMoveIn(msgspec.Struct, forbid_unknown_fields=True):
    start: datetime
    end: datetime
    allow_outside_hours: bool = False


class BookingCancelIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: str = ""


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
