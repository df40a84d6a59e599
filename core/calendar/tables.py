"""Calendar tables. Instants are UTC epoch seconds (BIGINT): the same on SQLite and PostgreSQL, and the
free-slot sweep compares plain integers. Opening times are local wall-clock minutes in the calendar's zone."""

from piccolo.columns import (
    JSON,
    BigInt,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Serial,
    SmallInt,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from core.tenancy.tables import Member, Office, Organisation


class Calendar(Table, tablename="core_calendar"):
    """An agenda: a member's, a counter's, an exam centre's… `owner_kind`/`owner_ref` are defined by plugins."""

    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, index=True)
    office = ForeignKey(Office, null=False, index=True)
    name = Varchar(length=200)
    timezone = Varchar(length=64, default="Europe/Paris")
    owner_kind = Varchar(length=60, default="")
    owner_ref = Varchar(length=120, default="")
    capacity = Integer(default=1)
    closed_on_public_holidays = Boolean(default=True)
    ics_token = Varchar(length=64, default="")
    created_at = Timestamptz(default=TimestamptzNow())


class OpeningRule(Table, tablename="core_calendar_rule"):
    """A recurring opening (RFC 5545 subset). `span_start`/`span_end` bound every occurrence (moves included);
    `span_end` is null for an endless rule. `exceptions`: {"YYYY-MM-DD": null (skip) | {"date", "start", "end"}}."""

    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, index=True)
    calendar = ForeignKey(Calendar, null=False, index=True)
    start_minute = SmallInt()
    end_minute = SmallInt()
    first_date = Date()
    freq = Varchar(length=8, default="WEEKLY")
    every = SmallInt(default=1)  # RFC 5545 INTERVAL ("interval" is reserved in SQL)
    byday = Varchar(length=60, default="")
    until = Date(null=True, default=None)
    count = Integer(null=True, default=None)
    exceptions = JSON(default="{}")
    tags = Varchar(length=500, default="")
    location = Varchar(length=200, default="")
    capacity = Integer(null=True, default=None)
    span_start = Date()
    span_end = Date(null=True, default=None)
    source_plugin = Varchar(length=60, default="")  # the module that made it and alone changes it (ownership.py)


class Closure(Table, tablename="core_calendar_closure"):
    """Unavailability of one calendar, or of a whole office when `calendar` is null. Each occurrence runs from
    its date at `start_minute` to `days` days later at `end_minute` (local time); recurrence as for rules."""

    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, index=True)
    office = ForeignKey(Office, null=False, index=True)
    calendar = ForeignKey(Calendar, null=True, default=None, index=True)
    reason = Varchar(length=200, default="")
    first_date = Date()
    start_minute = SmallInt(default=0)
    days = SmallInt(default=0)
    end_minute = SmallInt(default=1440)
    freq = Varchar(length=8, default="")
    every = SmallInt(default=1)  # RFC 5545 INTERVAL ("interval" is reserved in SQL)
    byday = Varchar(length=60, default="")
    until = Date(null=True, default=None)
    count = Integer(null=True, default=None)
    span_start = Date()
    span_end = Date(null=True, default=None)
    source_plugin = Varchar(length=60, default="")  # the module that made it and alone changes it (ownership.py)


class Booking(Table, tablename="core_calendar_booking"):
    """Seats taken on a calendar. `history` lists cancel/move events; `outside_hours` marks a booking an agent
    placed outside the openings after the warning."""

    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, index=True)
    office = ForeignKey(Office, null=False, index=True)
    calendar = ForeignKey(Calendar, null=False)
    start_ts = BigInt()
    end_ts = BigInt()
    seats = SmallInt(default=1)
    status = Varchar(length=12, default="confirmed")
    label = Varchar(length=200, default="")
    source_plugin = Varchar(length=60, default="")
    source_ref = Varchar(length=120, default="")
    created_by = ForeignKey(Member, null=True, default=None)
    outside_hours = Boolean(default=False)
    history = JSON(default="[]")
    created_at = Timestamptz(default=TimestamptzNow())
    notes = Text(default="")
