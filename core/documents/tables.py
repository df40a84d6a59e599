"""The documents table: one row per stored file; the bytes live in a `Storage` under `storage_key`."""

from piccolo.columns import Date, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from core.tenancy.tables import Office, Organisation, User


class Document(Table, tablename="core_document"):
    """A file owed to someone. `module` is the plugin id that stored it ("core" for the core's own);
    `user` the person it belongs to (None once detached from an erased account, or never linked);
    `person_ref` a module's own reference to the person when there is no account (a licence number…)."""

    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, index=True)
    office = ForeignKey(Office, null=True, default=None, index=True, on_delete=OnDelete.set_null)
    module = Varchar(length=50)
    user = ForeignKey(User, null=True, default=None, index=True, on_delete=OnDelete.set_null)
    person_ref = Varchar(length=100, default="")
    kind = Varchar(length=50)
    title = Varchar(length=200)
    filename = Varchar(length=200)
    content_type = Varchar(length=100)
    size = Integer(default=0)
    sha256 = Varchar(length=64)
    storage_key = Varchar(length=100, unique=True)
    keep_until = Date(index=True)
    created_at = Timestamptz(default=TimestamptzNow())
