"""Per-member grants of a module permission (`Permission(granted=True)`): the owner chooses who holds it."""

from piccolo.columns import ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from core.tenancy.tables import Member, Organisation, User


class PermissionGrant(Table, tablename="core_permission_grant"):
    """Unique (member, permission): an index made by the migration."""

    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, index=True)
    member = ForeignKey(Member, null=False, index=True)
    permission = Varchar(length=100)
    granted_by = ForeignKey(User, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
