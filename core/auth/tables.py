from piccolo.columns import BigInt, ForeignKey, Serial, Text, Timestamptz, Varchar
from piccolo.columns.column_types import JSONB, Boolean
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from core.tenancy.tables import Organisation, User


class ApiToken(Table, tablename="core_api_token"):
    """A bearer token for one user in one organisation; only its SHA-256 is stored."""

    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, index=True)
    user = ForeignKey(User, null=False, index=True)
    name = Varchar(length=100, default="")
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    last_used_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)


class PasswordResetToken(Table, tablename="core_password_reset"):
    id = Serial(primary_key=True)
    user = ForeignKey(User, null=False, index=True)
    token_hash = Varchar(length=64, unique=True)
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


class LoginSession(Table, tablename="core_login_session"):
    """A logged-in browser. The session cookie carries a random key; only its SHA-256 is stored, so a copied
    cookie stops working as soon as the row is gone: logout deletes it, a password change or reset and
    « Se déconnecter partout » delete all of the user's rows. `expires_at` is in epoch seconds (compared in
    SQL the same way on SQLite and PostgreSQL)."""

    key_hash = Varchar(length=64, primary_key=True)
    user = ForeignKey(User, null=False, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = BigInt(index=True)


class PasswordResetRequest(Table, tablename="core_password_reset_request"):
    """One row per accepted « mot de passe oublié » request (known address or not), for throttling."""

    id = Serial(primary_key=True)
    email = Varchar(length=254, index=True)
    ip = Varchar(length=64, index=True)
    at = Timestamptz(default=TimestamptzNow(), index=True)


class LoginAttempt(Table, tablename="core_login_attempt"):
    """Kept in the database so throttling holds across app processes."""

    id = Serial(primary_key=True)
    email = Varchar(length=254, index=True)
    ip = Varchar(length=64, index=True)
    success = Boolean(default=False)
    at = Timestamptz(default=TimestamptzNow(), index=True)


class AuditEntry(Table, tablename="core_audit"):
    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=True, default=None, index=True)
    actor = ForeignKey(User, null=True, default=None)
    action = Varchar(length=80)
    target = Varchar(length=200, default="")
    details = JSONB(default={})
    ip = Varchar(length=64, default="")
    at = Timestamptz(default=TimestamptzNow(), index=True)
    summary = Text(default="")
