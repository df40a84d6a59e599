"""Orders and their lines. Amounts are stored rounded (the order is the invoice's source of truth)."""

from piccolo.columns import ForeignKey, Integer, Numeric, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from core.tenancy.tables import Office, Organisation, User

MONEY = (12, 2)


class OrderCounter(Table, tablename="core_order_counter"):
    """The last order number of each organisation (unique index on organisation, made by a migration)."""

    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False)
    last_number = Integer(default=0)


class Order(Table, tablename="core_order"):
    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, index=True)
    number = Integer()  # per organisation, 1, 2, 3… without gaps (unique with organisation)
    status = Varchar(length=20)
    total_ht = Numeric(digits=MONEY)
    total_tva = Numeric(digits=MONEY)
    total_ttc = Numeric(digits=MONEY)
    created_by = ForeignKey(User, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class OrderLine(Table, tablename="core_order_line"):
    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, index=True)
    order = ForeignKey(Order, null=False, index=True)
    office = ForeignKey(Office, null=True, default=None)
    source = Varchar(length=60, default="")  # who bills: a module id, "core"…
    reference = Varchar(length=120, default="")  # what, for the source (e.g. "activate")
    label = Varchar(length=300)
    unit_ht = Numeric(digits=MONEY)
    quantity = Integer(default=1)
    vat_rate = Numeric(digits=(5, 4))
    ht = Numeric(digits=MONEY)
    tva = Numeric(digits=MONEY)
    ttc = Numeric(digits=MONEY)
