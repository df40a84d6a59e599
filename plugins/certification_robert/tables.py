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
    account = Integer(null=True, default=None, index=True)  # the « Mon espace » account created for them


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


class Result(Table, tablename=P + "result"):
    """A candidate's score from the certifier (signed route or CSV import); one per candidate, the latest
    wins. `document` is the core document of the attestation PDF once the job rendered it."""

    id = Serial(primary_key=True)
    organisation = Integer(index=True)
    office = Integer(index=True)
    candidate = Integer(unique=True)
    score = Integer()
    level = Varchar(length=2)
    passed_on = Date()
    source = Varchar(length=10)  # "api" | "csv"
    document = Integer(null=True, default=None)


class InboundReceipt(Table, tablename=P + "inbound_receipt"):
    """The SHA-256 of each accepted signed request, so that a replay inside the time window is refused."""

    id = Serial(primary_key=True)
    office = Integer(index=True)
    digest = Varchar(length=64, unique=True)
    received_at = Integer()  # the request's Unix timestamp (rows older than the window can go)


class ContactMessage(Table, tablename=P + "contact_message"):
    """A message of the partner to the Le Robert support (« Contact »), kept as its history."""

    id = Serial(primary_key=True)
    organisation = Integer(index=True)
    office = Integer(index=True)
    member = Integer(null=True, default=None)
    subject = Varchar(length=200)
    body = Text()
    sent_to = Varchar(length=254)
    created_on = Date()


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



TABLES = (Candidate, Group, GroupMember, Stock, Session, Assignment, Result, InboundReceipt, ContactMessage,
          Order)
