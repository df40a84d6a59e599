"""One row per (office, plugin) and one per (organisation, plugin): the fields of the plugin's settings Struct
that were set there, as JSON (a secret field as {"$sealed": …}).

Unique (office, plugin) is made by a raw migration (CREATE UNIQUE INDEX)."""

from piccolo.columns import ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from core.tenancy.tables import Office, Organisation, User


class PluginSetting(Table, tablename="core_plugin_setting"):
    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, index=True)
    office = ForeignKey(Office, null=False)
    plugin = Varchar(length=50)
    data = Text(default="{}")  # JSON object; fields unknown to the Struct are ignored when read
    updated_by = ForeignKey(User, null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow())


class PluginOrganisationSetting(Table, tablename="core_plugin_org_setting"):
    """The organisation-wide values (fields marked PER_ORGANISATION) that offices inherit unless they override."""

    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, index=True)
    plugin = Varchar(length=50)
    data = Text(default="{}")
    updated_by = ForeignKey(User, null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow())


class PluginProblem(Table, tablename="core_plugin_problem"):
    """A module's hook, job or provider failing for one office (API 1.1, `core.plugins.health`): one row per
    (office, plugin, subject) while it fails, deleted by the next success. `open_until` set: the circuit
    breaker is open (the job or provider call waits until then)."""

    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, index=True)
    office = ForeignKey(Office, null=False, index=True)
    plugin = Varchar(length=50)
    subject = Varchar(length=120)  # "hook:on_event", "job:<name>", "provider:<key>"
    label = Varchar(length=200, default="")  # French: « le fournisseur « Alpha SMS » »
    failures = Integer(default=0)  # within the current window
    window_start = Timestamptz(default=TimestamptzNow())
    since = Timestamptz(default=TimestamptzNow())  # first failure since the last success
    last_at = Timestamptz(default=TimestamptzNow())
    last_error = Text(default="")
    total = Integer(default=0)
    open_until = Timestamptz(null=True, default=None)
