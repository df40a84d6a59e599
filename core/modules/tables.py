"""Module activations per office and the organisation's cart.

Unique (office, module) on both tables is made by a raw migration (CREATE UNIQUE INDEX).
"""

from piccolo.columns import Boolean, ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from core.commerce.tables import Order
from core.tenancy.tables import Office, Organisation, User


class ModuleActivation(Table, tablename="core_module_activation"):
    """A module's state in an office. Deactivation flips `active` and keeps the module's data."""

    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, index=True)
    office = ForeignKey(Office, null=False, index=True)
    module = Varchar(length=50)
    active = Boolean(default=True)
    order = ForeignKey(Order, null=True, default=None)
    changed_at = Timestamptz(default=TimestamptzNow())


class CartLine(Table, tablename="core_cart_line"):
    """One pending change in the organisation's cart: activate or deactivate `module` in `office`."""

    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, index=True)
    office = ForeignKey(Office, null=False)
    module = Varchar(length=50)
    action = Varchar(length=12)  # "activate" | "deactivate"
    added_by = ForeignKey(User, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
