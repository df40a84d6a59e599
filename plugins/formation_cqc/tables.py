"""The module's tables. Every row carries `organisation` and `office` (plain integers: plugins do not
reference core tables)."""

from piccolo.columns import Boolean, Date, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

P = "formation_cqc_"


class AgrementRow(Table, tablename=P + "agrement"):
    """An agrément of the training centre (the office): type, sector, number, valid from/to inclusive."""

    id = Serial(primary_key=True)
    organisation = Integer(index=True)
    office = Integer(index=True)
    training = Varchar(length=30)
    sector = Varchar(length=20)
    number = Varchar(length=60)
    valid_from = Date()
    valid_to = Date()
    created_at = Timestamptz(default=TimestamptzNow())


class Draft(Table, tablename=P + "draft"):
    """The manual registration being typed by one member in one office (JSON): a reload loses nothing."""

    id = Serial(primary_key=True)
    organisation = Integer(index=True)
    office = Integer(index=True)
    member = Integer(index=True)
    payload = Text(default="{}")
    updated_at = Timestamptz(default=TimestamptzNow())


class Registration(Table, tablename=P + "registration"):
    """One imported registration (a session): its lines are billed, amounts in cents HT."""

    id = Serial(primary_key=True)
    organisation = Integer(index=True)
    office = Integer(index=True)
    training = Varchar(length=30)
    label = Varchar(length=200)
    end_date = Date()
    profile = Varchar(length=20)
    mode = Varchar(length=20)
    line_count = Integer()
    amount_cents = Integer()
    status = Varchar(length=20, default="enregistre")
    centre_pays_cqc = Boolean(default=False)  # formateur/moniteur: the centre pays their CQC fee (billed)
    idempotency_key = Varchar(length=100, default="", index=True)  # API mode: a retried call answers this row
    created_by = Integer()
    created_at = Timestamptz(default=TimestamptzNow())


class RegistrationLine(Table, tablename=P + "line"):
    id = Serial(primary_key=True)
    organisation = Integer(index=True)
    office = Integer(index=True)
    registration = ForeignKey(Registration, index=True)
    training = Varchar(length=30)
    end_date = Date(index=True)
    reference = Varchar(length=60)
    order_number = Varchar(length=60)
    first_name = Varchar(length=100)
    last_name = Varchar(length=100)
    birth_date = Date()
    licence = Varchar(length=15, index=True)
    fee_cents = Integer()
    account = Integer(null=True, default=None, index=True)  # the core user who claimed the line (« Mon espace »)
    summary_document = Integer(null=True, default=None)  # core document ids, set by the job that renders them
    certificate_document = Integer(null=True, default=None)
    notified = Boolean(default=False)  # formateur/moniteur: the job told them they may request a CQC card


class Driver(Table, tablename=P + "driver"):
    """A person who claimed their registrations: licence + birth date → account and its email (a later
    import's PDFs are attached and emailed to them). Person-level: no organisation."""

    id = Serial(primary_key=True)
    licence = Varchar(length=15, index=True)
    birth_date = Date()
    account = Integer(index=True)
    email = Varchar(length=254, default="")
    claimed_at = Timestamptz(default=TimestamptzNow())


class CardRequest(Table, tablename=P + "card_request"):
    """« Demander ma carte CQC »: a driver's request for the card from one of their registration lines, with the
    delivery address they confirmed. `status`: deposee → en_fabrication → expediee (or refusee)."""

    id = Serial(primary_key=True)
    organisation = Integer(index=True)
    office = Integer(index=True)
    account = Integer(index=True)
    line = ForeignKey(RegistrationLine, index=True)
    address = Varchar(length=200)
    postcode = Varchar(length=5)
    city = Varchar(length=100)
    status = Varchar(length=20, default="deposee")
    created_at = Timestamptz(default=TimestamptzNow())


class CardStatusChange(Table, tablename=P + "card_status_change"):
    """One status change of a card request by the centre (« Demandes de carte CQC »): the history the driver sees.
    `tracking_number` for expediee (optional), `reason` for refusee (required)."""

    id = Serial(primary_key=True)
    organisation = Integer(index=True)
    office = Integer(index=True)
    request = ForeignKey(CardRequest, index=True)
    status = Varchar(length=20)
    tracking_number = Varchar(length=60, default="")
    reason = Varchar(length=500, default="")
    member = Integer(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class ClaimAttempt(Table, tablename=P + "claim_attempt"):
    """A failed claim (no registration matched) by an account: more than a few an hour are refused."""

    id = Serial(primary_key=True)
    account = Integer(index=True)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)


class Invoice(Table, tablename=P + "invoice"):
    """The PDF invoice of a closed month, stored once as a core document (an invoice never changes)."""

    id = Serial(primary_key=True)
    organisation = Integer(index=True)
    office = Integer(index=True)
    month = Date()
    document = Integer()
    created_at = Timestamptz(default=TimestamptzNow())


TABLES = [AgrementRow, Draft, Registration, RegistrationLine, Driver, CardRequest, CardStatusChange, ClaimAttempt,
          Invoice]
