"""Tenancy tables. Every tenant-owned row carries `organisation` (also the Citus distribution column)."""

from piccolo.columns import JSON, Boolean, ForeignKey, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class Organisation(Table, tablename="core_organisation"):
    id = Serial(primary_key=True)
    slug = Varchar(length=80, unique=True)
    name = Varchar(length=200)
    siret = Varchar(length=14, null=True, default=None)
    address = Text(default="")
    phone = Varchar(length=40, default="")
    email = Varchar(length=254, default="")
    created_at = Timestamptz(default=TimestamptzNow())


class Office(Table, tablename="core_office"):
    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, index=True)
    name = Varchar(length=200)
    address = Text(default="")
    timezone = Varchar(length=64, default="Europe/Paris")
    created_at = Timestamptz(default=TimestamptzNow())


class User(Table, tablename="core_user"):
    id = Serial(primary_key=True)
    email = Varchar(length=254, unique=True)
    password_hash = Varchar(length=255, default="")
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())


class Member(Table, tablename="core_member"):
    """Unique (organisation, user) and (member, office) links are unique indexes made by the migration."""

    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, index=True)
    user = ForeignKey(User, null=True, default=None, index=True)
    display_name = Varchar(length=200)
    role = Varchar(length=20)
    created_at = Timestamptz(default=TimestamptzNow())


class MemberOffice(Table, tablename="core_member_office"):
    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, index=True)
    member = ForeignKey(Member, null=False, index=True)
    office = ForeignKey(Office, null=False, index=True)


class MemberInvitation(Table, tablename="core_member_invitation"):
    """An organisation asks an existing account to join it: the membership is created only when that person
    accepts through the emailed link (only the SHA-256 of its token is stored)."""

    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, index=True)
    user = ForeignKey(User, null=False, index=True)
    display_name = Varchar(length=200)
    role = Varchar(length=20)
    office_ids = JSON(default=[])
    invited_by = ForeignKey(User, null=True, default=None)
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    answered_at = Timestamptz(null=True, default=None)  # accepted, declined or cancelled: no longer pending
    status = Varchar(length=20, default="pending")  # pending | accepted | declined | cancelled
