"""Tables of « Mon espace »: a served person's profile and the one-use links emailed to them."""

from piccolo.columns import ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from core.tenancy.tables import User


class AccountProfile(Table, tablename="core_account_profile"):
    """What a person tells about themselves (pre-fills the modules' forms); `verified_at` is when they last
    proved they read mail at `User.email` (sign-up or login link)."""

    id = Serial(primary_key=True)
    user = ForeignKey(User, null=False, unique=True, on_delete=OnDelete.cascade)
    full_name = Varchar(length=200, default="")
    phone = Varchar(length=40, default="")
    verified_at = Timestamptz(null=True, default=None)


class AccountLink(Table, tablename="core_account_link"):
    """A one-use emailed link: `signup` (no user yet), `login` (a user) or `email` (a user's new address).
    Only the SHA-256 of the token is stored."""

    id = Serial(primary_key=True)
    purpose = Varchar(length=10)
    email = Varchar(length=254, index=True)
    user = ForeignKey(User, null=True, default=None, index=True, on_delete=OnDelete.cascade)
    token_hash = Varchar(length=64, unique=True)
    ip = Varchar(length=64, default="", index=True)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
