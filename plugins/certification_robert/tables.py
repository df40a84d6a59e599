"""The module's tables; every row carries `organisation` and `office` (plain integers)."""

from piccolo.columns import Date, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
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


class Stock(Table, tablename=P + "stock"):
    """Certifications left per type (`centre` = Partenaire / centre agréé, `laposte` = Partenaire / La Poste)."""

    id = Serial(primary_key=True)
    organisation = Integer(index=True)
    office = Integer(index=True)
    kind = Varchar(length=20)
    quantity = Integer(default=0)


class Session(Table, tablename=P + "session"):
    """One planning act: a type, a date and, for La Poste, the exam centre's address and the time."""

    id = Serial(primary_key=True)
    organisation = Integer(index=True)
    office = Integer(index=True)
    kind = Varchar(length=20)
    planned_on = Date()
    starts_at = Varchar(length=5, default="")
    address = Text(default="")


class Assignment(Table, tablename=P + "assignment"):
    """A certification assigned to a candidate (one stock unit consumed); `code` is the activation code of a
    supervised (centre agréé) certification."""

    id = Serial(primary_key=True)
    organisation = Integer(index=True)
    office = Integer(index=True)
    candidate = Integer(index=True)
    kind = Varchar(length=20)
    planned_on = Date()
    session = Integer(null=True, default=None, index=True)
    code = Varchar(length=20, null=True, default=None)  # unique index made by the migration (SQLite)



class Order(Table, tablename=P + "order"):
    """A quote request (« Commander »): the quantities per type, the cart's amounts (Decimal text) and its
    status — `devis_demande` until the sales team accepts (`acceptee`, the stock grows) or refuses (`refusee`)
    through the signed link of the email."""

    id = Serial(primary_key=True)
    organisation = Integer(index=True)
    office = Integer(index=True)
    status = Varchar(length=20, default="devis_demande", index=True)
    quantity_centre = Integer(default=0)
    quantity_laposte = Integer(default=0)
    total_ht = Varchar(length=20, default="0.00")
    total_tva = Varchar(length=20, default="0.00")
    total_ttc = Varchar(length=20, default="0.00")
    requested_by = Varchar(length=254, default="")
    created_at = Timestamptz()
    decided_at = Timestamptz(null=True, default=None)


TABLES = (Candidate, Group, GroupMember, Stock, Session, Assignment, Order)
