"""The module's tables; every row carries `organisation` and `office` (plain integers)."""

from piccolo.columns import Date, ForeignKey, Integer, Serial, Text, Varchar
from piccolo.table import Table

P = "certification_robert_"


class Candidate(Table, tablename=P + "candidate"):
    """A candidate; `data` holds the five steps' fields as JSON text; `steps_done` the completed step ids."""

    id = Serial(primary_key=True)
    organisation = Integer(index=True)
    office = Integer(index=True)
    email = Varchar(length=254, index=True)
    last_name = Varchar(length=100, default="")
    first_name = Varchar(length=100, default="")
    status = Varchar(length=20, default="en_creation", index=True)
    exam_date = Date(null=True, default=None)
    password_hash = Varchar(length=200, default="")
    data = Text(default="{}")
    steps_done = Text(default="[]")


class Group(Table, tablename=P + "group"):
    id = Serial(primary_key=True)
    organisation = Integer(index=True)
    office = Integer(index=True)
    name = Varchar(length=200)
    category = Varchar(length=20)


class GroupMember(Table, tablename=P + "group_member"):
    id = Serial(primary_key=True)
    organisation = Integer(index=True)
    group = ForeignKey(Group, index=True)
    candidate = ForeignKey(Candidate, index=True)


TABLES = (Candidate, Group, GroupMember)
