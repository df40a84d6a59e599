"""Operator accounts, their recovery codes and sessions, and the modules they enabled directly."""

from piccolo.columns import BigInt, Boolean, Date, ForeignKey, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from core.commerce.tables import Order
from core.tenancy.tables import Office, Organisation


class Operator(Table, tablename="core_operator"):
    """A platform staff account. `totp_last_step` is the last accepted TOTP time step: a code is accepted
    only for a later step, so a used code cannot be replayed (even within its 30 s window)."""

    id = Serial(primary_key=True)
    email = Varchar(length=254, unique=True)
    password_hash = Varchar(length=255, default="")
    totp_secret = Varchar(length=64, secret=True)
    totp_last_step = BigInt(default=0)
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())


class OperatorRecoveryCode(Table, tablename="core_operator_recovery"):
    """A single-use recovery code (only its SHA-256 is stored)."""

    id = Serial(primary_key=True)
    operator = ForeignKey(Operator, null=False, index=True)
    code_hash = Varchar(length=64, unique=True)
    used_at = Timestamptz(null=True, default=None)


class OperatorSession(Table, tablename="core_operator_session"):
    """A logged-in operator's browser (the cookie carries a random key, only its SHA-256 is stored)."""

    key_hash = Varchar(length=64, primary_key=True)
    operator = ForeignKey(Operator, null=False, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = BigInt(index=True)


class DirectActivation(Table, tablename="core_operator_activation"):
    """A module enabled or disabled for an office by an operator: the order it went through, the reason,
    whether it is free of charge and the end of a trial (the module is disabled by `expire_trials`)."""

    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, index=True)
    office = ForeignKey(Office, null=False, index=True)
    module = Varchar(length=50)
    active = Boolean(default=True)
    order = ForeignKey(Order, null=True, default=None)
    operator = ForeignKey(Operator, null=False)
    reason = Text(default="")
    free = Boolean(default=False)
    trial_end = Date(null=True, default=None)
    ended_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
