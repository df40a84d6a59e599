"""The module's tables. Every row carries `organisation` and `office` (plain integers: plugins do not
reference core tables); lists of ids are JSON text (portable across SQLite and PostgreSQL)."""

from piccolo.columns import Boolean, Date, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

P = "rdv_service_public_"


class Service(Table, tablename=P + "service"):
    id = Serial(primary_key=True)
    organisation = Integer(index=True)
    office = Integer(index=True)
    name = Varchar(length=200)


class AgentService(Table, tablename=P + "agent_service"):
    """An agent (a core member) attached to a service; an agent may belong to several services."""

    id = Serial(primary_key=True)
    organisation = Integer(index=True)
    office = Integer(index=True)
    member = Integer(index=True)
    service = ForeignKey(Service, index=True)


class Motif(Table, tablename=P + "motif"):
    id = Serial(primary_key=True)
    organisation = Integer(index=True)
    office = Integer(index=True)
    service = ForeignKey(Service, index=True)
    name = Varchar(length=200)
    duration_minutes = Integer(default=30)
    modality = Varchar(length=20, default="sur_place")
    color = Varchar(length=7, default="#1f6feb")
    description = Text(default="")
    rgpd_text = Text(default="")
    online = Boolean(default=False)
    min_delay_minutes = Integer(default=30)
    max_delay_minutes = Integer(default=60 * 24 * 60)
    users_may_change = Boolean(default=False)
    category = Varchar(length=20, null=True, default=None)
    instructions_before = Text(default="")
    instructions_after = Text(default="")
    collective = Boolean(default=False)
    max_participants = Integer(default=1)


class Lieu(Table, tablename=P + "lieu"):
    id = Serial(primary_key=True)
    organisation = Integer(index=True)
    office = Integer(index=True)
    name = Varchar(length=200)
    address = Text(default="")
    phone = Varchar(length=40, default="")


class Guichet(Table, tablename=P + "guichet"):
    id = Serial(primary_key=True)
    organisation = Integer(index=True)
    office = Integer(index=True)
    name = Varchar(length=200)
    capacity = Integer(default=1)
    motif_ids = Text(default="[]")


class Plage(Table, tablename=P + "plage"):
    """Opening slots of one agenda (agent, intervenant or counter): weekly recurrence with exceptions."""

    id = Serial(primary_key=True)
    organisation = Integer(index=True)
    office = Integer(index=True)
    member = Integer(null=True, default=None, index=True)
    guichet = Integer(null=True, default=None, index=True)
    lieu = Integer(null=True, default=None)
    weekdays = Text(default="[]")  # 0 = lundi … 6 = dimanche
    every_weeks = Integer(default=1)
    first_day = Date()
    until_day = Date(null=True, default=None)
    start_time = Varchar(length=5)
    end_time = Varchar(length=5)
    exceptions = Text(default="[]")  # ISO dates of cancelled occurrences
    motif_ids = Text(default="[]")  # empty: every motif
    rule = Integer(null=True, default=None)  # the core.calendar OpeningRule this plage is


class Absence(Table, tablename=P + "absence"):
    """An agent's absence or a counter's unavailability."""

    id = Serial(primary_key=True)
    organisation = Integer(index=True)
    office = Integer(index=True)
    member = Integer(null=True, default=None, index=True)
    guichet = Integer(null=True, default=None, index=True)
    starts_at = Timestamptz()
    ends_at = Timestamptz()
    label = Varchar(length=200, default="")
    closure = Integer(null=True, default=None)  # the core.calendar Closure this absence is


class Rdv(Table, tablename=P + "rdv"):
    id = Serial(primary_key=True)
    organisation = Integer(index=True)
    office = Integer(index=True)
    motif = ForeignKey(Motif, index=True)
    member = Integer(null=True, default=None, index=True)
    guichet = Integer(null=True, default=None, index=True)
    lieu = Integer(null=True, default=None)
    starts_at = Timestamptz(index=True)
    ends_at = Timestamptz()
    status = Varchar(length=20, default="a_venir")
    citizen_name = Varchar(length=200)
    citizen_email = Varchar(length=254, default="")
    citizen_phone = Varchar(length=40, default="")
    notes = Text(default="")
    token = Varchar(length=64, index=True)
    online = Boolean(default=False)
    reminded = Boolean(default=False)
    wants_earlier = Boolean(default=False)  # waiting list: tell the citizen when an earlier slot frees up
    created_at = Timestamptz(default=TimestamptzNow())
    booking = Integer(null=True, default=None)  # core.calendar Booking on the agent's (or counter's) calendar
    guichet_booking = Integer(null=True, default=None)  # the counter's Booking when both are set
    sequence = Integer(default=0)  # version of the citizen's calendar invitation (RFC 5545 SEQUENCE)


TABLES = [Service, AgentService, Motif, Lieu, Guichet, Plage, Absence, Rdv]
