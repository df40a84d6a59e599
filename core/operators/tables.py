"""Operator accounts, their recovery codes and sessions, and the modules they enabled directly."""

from piccolo.columns import BigInt, Boolean, Date, ForeignKey, Numeric, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from core.commerce.tables import Order
from core.documents.tables import Document
from core.tenancy.tables import Member, Office, Organisation


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


class CatalogueRule(Table, tablename="core_operator_catalogue_rule"):
    """Who may order a module: `public` (any owner; the default when no row), `on_request` (owners ask,
    operators approve) or `restricted` (only operators enable it)."""

    id = Serial(primary_key=True)
    module = Varchar(length=50, unique=True)
    rule = Varchar(length=20, default="public")


class PriceOverride(Table, tablename="core_operator_price"):
    """The price HT of a module for one organisation, instead of the manifest's."""

    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, index=True)
    module = Varchar(length=50)
    price_ht = Numeric(digits=(12, 2))


class ModuleRequest(Table, tablename="core_operator_module_request"):
    """An owner's request for an on-request module; once `approved`, the organisation's cart accepts it."""

    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, index=True)
    module = Varchar(length=50)
    status = Varchar(length=20, default="pending")  # pending | approved | refused
    requested_at = Timestamptz(default=TimestamptzNow())
    decided_by = ForeignKey(Operator, null=True, default=None)


class InvoiceCounter(Table, tablename="core_operator_invoice_counter"):
    """The last invoice number of each organisation: numbers follow 1, 2, 3… without gaps."""

    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, unique=True)
    last_number = BigInt(default=0)
    last_credit_number = BigInt(default=0)  # the credit notes' own sequence (« avoir » n° 1, 2, 3…)


class Invoice(Table, tablename="core_operator_invoice"):
    """An invoice of one organisation: `monthly` (the modules billed by month; `month` is the billed « AAAA-MM »)
    or `order` (the one-off charges of `order`; `month` is the order's). `slot` is what it bills — the month for a
    monthly invoice, « order:<id> » for an order's — unique per organisation while the invoice stands (a rerun
    is then a no-op); cancelling it issues a credit note and frees the slot (NULL), so it may be billed again."""

    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, index=True)
    number = BigInt()
    month = Varchar(length=7, index=True)
    status = Varchar(length=20, default="to_pay")  # to_pay | paid | cancelled
    total_ht = Numeric(digits=(12, 2))
    total_tva = Numeric(digits=(12, 2))
    total_ttc = Numeric(digits=(12, 2))
    created_at = Timestamptz(default=TimestamptzNow())
    document = ForeignKey(Document, null=True, default=None)  # the PDF, once its job has rendered it
    status_changed_at = Timestamptz(null=True, default=None)
    kind = Varchar(length=20, default="monthly")  # monthly | order
    order = ForeignKey(Order, null=True, default=None, index=True)
    slot = Varchar(length=40, null=True, default=None)


class CreditNote(Table, tablename="core_operator_credit_note"):
    """The credit note (« avoir ») cancelling an invoice: an issued invoice is never deleted nor edited (French
    invoicing rules), its cancellation is this document, numbered in its own gap-free sequence per
    organisation, with the invoice's amounts negated (its lines are the invoice's lines, negated)."""

    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, index=True)
    number = BigInt()
    invoice = ForeignKey(Invoice, null=False, unique=True)
    month = Varchar(length=7, index=True)  # the cancelled invoice's
    total_ht = Numeric(digits=(12, 2))
    total_tva = Numeric(digits=(12, 2))
    total_ttc = Numeric(digits=(12, 2))
    reason = Text(default="")
    operator = ForeignKey(Operator, null=True, default=None)
    document = ForeignKey(Document, null=True, default=None)  # the PDF, once its job has rendered it
    created_at = Timestamptz(default=TimestamptzNow())


class InvoiceLine(Table, tablename="core_operator_invoice_line"):
    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, index=True)
    invoice = ForeignKey(Invoice, null=False, index=True)
    office = ForeignKey(Office, null=True, default=None)
    module = Varchar(length=50)
    label = Varchar(length=300)
    days = BigInt()
    unit_ht = Numeric(digits=(12, 2))
    ht = Numeric(digits=(12, 2))
    tva = Numeric(digits=(12, 2))
    ttc = Numeric(digits=(12, 2))


class Suspension(Table, tablename="core_operator_suspension"):
    """A suspended organisation (one row while suspended; unsuspending deletes it, no data is touched)."""

    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, unique=True)
    reason = Text(default="")
    operator = ForeignKey(Operator, null=True, default=None)
    suspended_at = Timestamptz(default=TimestamptzNow())


class OperatorToken(Table, tablename="core_operator_token"):
    """A bearer token of the operator API (/api/v1/operateur/): a scope of its own, never accepted by the
    organisations' API, as their tokens are never accepted here. Only its SHA-256 is stored."""

    id = Serial(primary_key=True)
    operator = ForeignKey(Operator, null=False, index=True)
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    revoked_at = Timestamptz(null=True, default=None)


class OrderState(Table, tablename="core_operator_order_state"):
    """Where an order stands for billing: `to_invoice` (no row), `invoiced` (by `invoice`), `paid` (its
    invoice was paid) or `cancelled` (by an operator; the billing then ignores its lines, as free ones)."""

    id = Serial(primary_key=True)
    order = ForeignKey(Order, null=False, unique=True)
    organisation = ForeignKey(Organisation, null=False, index=True)
    status = Varchar(length=20, default="to_invoice", index=True)
    invoice = ForeignKey(Invoice, null=True, default=None, index=True)
    reason = Text(default="")
    changed_at = Timestamptz(default=TimestamptzNow())


class BillingRun(Table, tablename="core_operator_billing_run"):
    """A finished monthly billing run (the periodic job bills a month once; `socle billing run` reruns)."""

    id = Serial(primary_key=True)
    month = Varchar(length=7, unique=True)
    invoices = BigInt(default=0)
    seconds = Numeric(digits=(10, 2))
    finished_at = Timestamptz(default=TimestamptzNow())


class OrganisationProfile(Table, tablename="core_operator_org_profile"):
    """What the operator knows of an organisation: its kind (see `KINDS` in core.operators.console)."""

    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, unique=True)
    kind = Varchar(length=30, default="autre", index=True)


class OperatorLoginFailure(Table, tablename="core_operator_login_failure"):
    """A refused operator login, kept to throttle by e-mail address (whether an operator has it or not)."""

    id = Serial(primary_key=True)
    email = Varchar(length=254)
    at = Timestamptz(default=TimestamptzNow())


class ViewConsent(Table, tablename="core_operator_view_consent"):
    """The owner's consent to « voir comme »: an operator may read the organisation's pages as this owner
    until `expires_at` (unless revoked)."""

    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, index=True)
    member = ForeignKey(Member, null=False)
    expires_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class ViewSession(Table, tablename="core_operator_view_session"):
    """An operator's « voir comme » visit (the cookie carries a random key, only its SHA-256 is stored)."""

    id = Serial(primary_key=True)
    key_hash = Varchar(length=64, unique=True)
    operator = ForeignKey(Operator, null=False, index=True)
    consent = ForeignKey(ViewConsent, null=False, index=True)
    started_at = Timestamptz(default=TimestamptzNow())
    ended_at = Timestamptz(null=True, default=None)
