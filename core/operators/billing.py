"""Monthly billing: one invoice per organisation per month for the modules billed `Billing.monthly`, each
office's line prorated by the days the module was active that month.

Organisations are billed in ascending id order, `ORGS_PER_TRANSACTION` per transaction (one lock order for
every run, so two concurrent runs on PostgreSQL wait for each other instead of deadlocking).

The activation history is the orders' lines (checkout and direct activation both go through an order):
an `activate` line opens an interval on its day, a `deactivate` line closes it (the module is not billed
for that day). A rerun creates nothing (one invoice per organisation and month, checked under the
organisation's row lock); numbers come from a per-organisation counter updated in the same transaction,
so they follow without gaps even with concurrent runs (and unique indexes on (organisation, month) and
(organisation, number) make any other outcome impossible).

Each invoice marks the orders it covers `invoiced` (core_operator_order_state) and queues its PDF as a job
in its own transaction; the PDF jobs are spread at `PDF_PER_SECOND` so a run of thousands of invoices does
not starve the worker's other messages. The PDF is stored as a core document (kept ten years, as French
accounting requires)."""

from __future__ import annotations

import calendar
import csv
import io
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from core import db, jobs
from core.commerce.money import line_amounts, quantize, totals
from core.documents import render_pdf
from core.errors import NotFound, ValidationFailed
from core.modules.catalog import Catalog
from core.operators.tables import (
    BillingRun,
    DirectActivation,
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    OrderState,
)
from core.plugin_api.manifest import Billing
from core.tenancy.tables import Organisation


@dataclass(frozen=True, slots=True)
class BilledLine:
    office_id: int
    module: str
    days: int
    unit_ht: Decimal


def month_bounds(month: str) -> tuple[date, date, int]:
    try:
        year, number = (int(part) for part in month.split("-"))
        first = date(year, number, 1)
    except ValueError:
        raise ValidationFailed.on("month", "Mois invalide (format AAAA-MM).") from None
    days = calendar.monthrange(year, number)[1]
    following = date(year + (number == 12), number % 12 + 1, 1)
    return first, following, days


def _day(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return datetime.fromisoformat(str(value)).date()


def active_days(events: list[tuple[date, bool]], first: date, following: date) -> int:
    """Days in [first, following) covered by the intervals the (day, activate?) events open and close."""
    total, start = 0, None
    for day, activate in events:
        if activate and start is None:
            start = day
        elif not activate and start is not None:
            total += max(0, (min(day, following) - max(start, first)).days)
            start = None
    if start is not None:
        total += max(0, (following - max(start, first)).days)
    return total


PDF_JOB = "core.operators.invoice_pdf"
PDF_PER_SECOND = 20
ORGS_PER_TRANSACTION = 50  # fewer commits; a SQLite write lock held a few tens of milliseconds at most
KEEP_YEARS = 10

History = dict[int, dict[tuple[int, str], list[tuple[date, bool]]]]


async def _history(modules: list[str], following: date) -> tuple[History, dict[int, set[int]]]:
    """{organisation: {(office, module): [(day, activate?)…]}} from the order lines before the month's end,
    and {organisation: orders not yet invoiced}. The lines of free direct activations and of cancelled orders
    count as deactivations for billing (a free or cancelled period is not billed)."""
    if not modules:
        return {}, {}
    free = {row["order"] for row in await DirectActivation.select(DirectActivation.order).where(
        DirectActivation.free == True)}  # noqa: E712
    states = {r[0]: r[1] for r in await db.fetch_tuples('SELECT "order", status FROM core_operator_order_state')}
    free |= {order for order, status in states.items() if status == "cancelled"}
    marks = ", ".join("{}" for _ in modules)
    rows = await db.fetch_tuples(
        "SELECT l.organisation, l.office, l.source, l.reference, o.created_at, o.id FROM core_order_line l "
        f"JOIN core_order o ON o.id = l.\"order\" WHERE l.source IN ({marks}) AND l.office IS NOT NULL "
        "ORDER BY o.created_at, o.id", *modules)
    result: History = defaultdict(lambda: defaultdict(list))
    pending: dict[int, set[int]] = defaultdict(set)
    for organisation, office, module, reference, created_at, order_id in rows:
        day = _day(created_at)
        if day < following:
            result[organisation][(office, module)].append((day, reference == "activate" and order_id not in free))
            if order_id not in states:
                pending[organisation].add(order_id)
    return result, pending


async def _prices(organisation_ids: set[int]) -> dict[tuple[int, str], Decimal]:
    rows = await db.fetch_tuples("SELECT organisation, module, price_ht FROM core_operator_price")
    return {(o, m): Decimal(str(p)) for o, m, p in rows if o in organisation_ids}


async def run(catalog: Catalog, month: str) -> list[int]:
    """Bill `month` (« AAAA-MM »); returns the ids of the invoices created by this run.

    First the one-off orders placed before the month's end that no standing invoice covers (normally invoiced
    when placed: this catches an order placed elsewhere, or one whose invoice was cancelled by a credit note),
    then the month's monthly invoices, then the earlier months freed by a credit note (billed again)."""
    from core.operators import invoicing

    _, following, _ = month_bounds(month)
    created = await invoicing.invoice_pending_orders(catalog, following)
    created += await _bill_month(catalog, month)
    for earlier, organisations in sorted((await _credited_months(month)).items()):
        created += await _bill_month(catalog, earlier, organisations)
    return created


async def _credited_months(month: str) -> dict[str, set[int]]:
    """{month before `month`: organisations} whose monthly invoice was cancelled by a credit note and which
    no standing invoice covers again."""
    rows = await db.fetch_tuples(
        "SELECT i.month, i.organisation FROM core_operator_credit_note c "
        "JOIN core_operator_invoice i ON i.id = c.invoice WHERE i.kind = 'monthly' AND i.month < {} "
        "AND NOT EXISTS (SELECT 1 FROM core_operator_invoice s "
        "WHERE s.organisation = i.organisation AND s.slot = i.month)", month)
    result: dict[str, set[int]] = defaultdict(set)
    for earlier, organisation in rows:
        result[earlier].add(organisation)
    return result


async def _bill_month(catalog: Catalog, month: str, only: set[int] | None = None) -> list[int]:
    """The monthly invoices of `month` (of the organisations in `only` when given)."""
    first, following, days_in_month = month_bounds(month)
    monthly = {m.id: m for m in catalog.all() if m.billing is Billing.monthly}
    history, pending = await _history(sorted(monthly), following)
    prices = await _prices(set(history))
    offices = {r[0]: r[1] for r in await db.fetch_tuples("SELECT id, name FROM core_office")} if history else {}
    created: list[int] = []
    start = datetime.now(UTC)
    billed = {r[0] for r in await db.fetch_tuples(  # a rerun skips them (checked again under the lock)
        "SELECT organisation FROM core_operator_invoice WHERE month = {} AND slot = {}", month, month)}
    due: list[tuple[int, list[BilledLine]]] = []
    for organisation_id in sorted(history):  # one lock order for every run: no deadlock between two runs
        if organisation_id in billed or (only is not None and organisation_id not in only):
            continue
        lines = []
        for (office_id, module), events in sorted(history[organisation_id].items()):
            days = active_days(events, first, following)
            if days:
                lines.append(BilledLine(office_id, module, days,
                                        prices.get((organisation_id, module), monthly[module].price_ht)))
        if lines:
            due.append((organisation_id, lines))
    for chunk in range(0, len(due), ORGS_PER_TRANSACTION):
        async with db.write_transaction():
            for organisation_id, lines in due[chunk:chunk + ORGS_PER_TRANSACTION]:
                pdf_at = start + timedelta(seconds=len(created) / PDF_PER_SECOND)
                invoice_id = await _invoice(organisation_id, month, days_in_month, lines, catalog, offices,
                                            sorted(pending.get(organisation_id, ())), pdf_at)
                if invoice_id is not None:
                    created.append(invoice_id)
    return created


async def run_month(catalog: Catalog, month: str) -> tuple[list[int], float]:
    """`run`, timed and recorded as the month's billing run (what the periodic job and the CLI call)."""
    began = time.perf_counter()
    created = await run(catalog, month)
    seconds = round(time.perf_counter() - began, 2)
    async with db.write_transaction():
        done = await BillingRun.objects().where(BillingRun.month == month).first()
        if done is None:
            await BillingRun(month=month, invoices=len(created), seconds=Decimal(str(seconds))).save()
        else:
            await BillingRun.update({BillingRun.invoices: int(done.invoices) + len(created),
                                     BillingRun.seconds: Decimal(str(seconds)),
                                     BillingRun.finished_at: datetime.now(UTC)}).where(BillingRun.id == done.id)
    return created, seconds


def previous_month(today: date) -> str:
    first = today.replace(day=1) - timedelta(days=1)
    return f"{first.year:04d}-{first.month:02d}"


async def next_number(organisation_id: int, credit: bool = False) -> int:
    """The organisation's next invoice number (or credit note number), inside the caller's write transaction:
    the counter's row is updated with the invoice, so a rolled-back invoice gives its number back."""
    column = "last_credit_number" if credit else "last_number"
    rows = await InvoiceCounter.raw(
        f"INSERT INTO core_operator_invoice_counter (organisation, last_number, last_credit_number) VALUES ({{}}, "
        f"{0 if credit else 1}, {1 if credit else 0}) ON CONFLICT (organisation) DO UPDATE SET "
        f"{column} = core_operator_invoice_counter.{column} + 1 RETURNING {column}", organisation_id)
    return int(rows[0][column])


async def _invoice(organisation_id: int, month: str, days_in_month: int, lines: list[BilledLine],
                   catalog: Catalog, offices: dict[int, str], orders: list[int], pdf_at: datetime) -> int | None:
    priced = []
    for line in lines:
        ht = quantize(line.unit_ht * line.days / days_in_month)
        priced.append((line, line_amounts(ht)))
    total = totals(amounts for _, amounts in priced)
    async with db.write_transaction():  # joins the chunk's transaction when called from `run`
        await db.lock_row(Organisation, organisation_id)
        if await db.fetch_tuples("SELECT 1 FROM core_operator_invoice WHERE organisation = {} AND slot = {}",
                                 organisation_id, month):
            return None
        # Raw statements: the run writes thousands of invoices, the query builder would cost more than the SQL.
        now = datetime.now(UTC)
        number = await next_number(organisation_id)
        inserted = await Invoice.raw(
            "INSERT INTO core_operator_invoice (organisation, number, month, status, total_ht, total_tva, total_ttc, "
            "created_at, kind, slot) VALUES ({}, {}, {}, 'to_pay', {}, {}, {}, {}, 'monthly', {}) RETURNING id",
            organisation_id, number, month, total.ht, total.tva, total.ttc, now, month)
        invoice_id = int(inserted[0]["id"])
        values, args = [], []
        for line, amounts in priced:
            values.append("({}, {}, {}, {}, {}, {}, {}, {}, {}, {})")
            args += [organisation_id, invoice_id, line.office_id, line.module,
                     f"« {catalog.modules[line.module].title} » — {offices.get(line.office_id, '')} "
                     f"({line.days}/{days_in_month} jours)", line.days, line.unit_ht, amounts.ht, amounts.tva,
                     amounts.ttc]
        await InvoiceLine.raw("INSERT INTO core_operator_invoice_line (organisation, invoice, office, module, label, "
                              f"days, unit_ht, ht, tva, ttc) VALUES {', '.join(values)}", *args)
        if orders:
            await OrderState.raw(
                'INSERT INTO core_operator_order_state ("order", organisation, status, invoice, reason, changed_at) '
                f"VALUES {', '.join('({}, {}, {}, {}, {}, {})' for _ in orders)} ON CONFLICT (\"order\") DO NOTHING",
                *[v for order in orders for v in (order, organisation_id, "invoiced", invoice_id, "", now)])
        await jobs.schedule(PDF_JOB, {"invoice_id": invoice_id}, key=f"invoice-pdf:{invoice_id}",
                            organisation_id=organisation_id, at=pdf_at)
    return invoice_id


async def invoices(organisation_id: int | None = None, month: str = "", status: str = "") -> list[dict[str, Any]]:
    """Invoices, by organisation and number, with the order a one-off invoice bills and the credit note that
    cancelled it (`order_number`, `credit_number`, `credit_id`; None otherwise)."""
    where, args = ["1 = 1"], []
    for column, value in (("i.status", status), ("i.organisation", organisation_id), ("i.month", month)):
        if value not in ("", None):
            where.append(f"{column} = {{}}")
            args.append(value)
    return money_rows(await db.fetch(
        "SELECT i.*, g.name AS organisation_name, o.number AS order_number, c.number AS credit_number, "
        "c.id AS credit_id FROM core_operator_invoice i JOIN core_organisation g ON g.id = i.organisation "
        'LEFT JOIN core_order o ON o.id = i."order" LEFT JOIN core_operator_credit_note c ON c.invoice = i.id '
        f"WHERE {' AND '.join(where)} ORDER BY i.organisation, i.number", *args))


def money_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Raw rows' totals as Decimal to the cent (SQLite's driver may give floats)."""
    for row in rows:
        for key in ("total_ht", "total_tva", "total_ttc"):
            row[key] = quantize(str(row[key]))
    return rows


def _comma(value: object) -> str:
    return f"{quantize(str(value))}".replace(".", ",")


def _french_date(value: object) -> str:
    return _day(value).strftime("%d/%m/%Y")


async def csv_export(month: str = "") -> str:
    """The accountant's CSV (semicolon-separated, decimal comma, as French spreadsheets read it): every invoice
    and every credit note (negative amounts, `piece_liee` naming the invoice it cancels)."""
    from core.operators import credit_notes

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["organisation", "numero", "mois", "statut", "total_ht", "tva", "total_ttc", "type", "date",
                     "piece_liee"])
    for row in await invoices(None, month):
        linked = f"commande {row['order_number']}" if row["order_number"] is not None else ""
        writer.writerow([row["organisation_name"], row["number"], row["month"], row["status"],
                         *(_comma(row[k]) for k in ("total_ht", "total_tva", "total_ttc")), "facture",
                         _french_date(row["created_at"]), linked])
    for row in await credit_notes.listing(None, month):
        writer.writerow([row["organisation_name"], row["number"], row["month"], "emis",
                         *(_comma(row[k]) for k in ("total_ht", "total_tva", "total_ttc")), "avoir",
                         _french_date(row["created_at"]), f"facture {row['invoice_number']}"])
    return out.getvalue()


INVOICE_TEMPLATE = Path(__file__).parent / "templates" / "invoice.typ"


async def _own_invoice(organisation_id: int | None, invoice_id: object) -> tuple[Invoice, int]:
    """The invoice of the organisation (any organisation's for the operator, `organisation_id` None)."""
    try:
        wanted = int(str(invoice_id))
    except ValueError:
        raise NotFound("Cette facture n'existe pas.") from None
    query = Invoice.objects().where(Invoice.id == wanted)
    if organisation_id is not None:
        query = query.where(Invoice.organisation == organisation_id)
    invoice = await query.first()
    if invoice is None:
        raise NotFound("Cette facture n'existe pas.")
    return invoice, wanted


async def invoice_pdf(organisation_id: int | None, invoice_id: object) -> tuple[Invoice, bytes]:
    """The invoice as a PDF through the core documents' Typst helper (NotFound for another organisation's)."""
    invoice, _ = await _own_invoice(organisation_id, invoice_id)
    org = await Organisation.select(Organisation.name, Organisation.address).where(
        Organisation.id == invoice.organisation).first()
    lines = await InvoiceLine.select(InvoiceLine.label, InvoiceLine.ht, InvoiceLine.ttc).where(
        InvoiceLine.invoice == invoice.id).order_by(InvoiceLine.id)
    subtitle = f"Mois facturé : {invoice.month}"
    if invoice.order:
        order = await db.fetch("SELECT number, created_at FROM core_order WHERE id = {}", invoice.order)
        if order:
            subtitle = f"Commande n° {order[0]['number']} du {_french_date(order[0]['created_at'])}"
    context = {"title": f"Facture n° {invoice.number}", "subtitle": subtitle,
               "lines": [{"label": r["label"], "ht": _comma(r["ht"]), "ttc": _comma(r["ttc"])} for r in lines],
               "total_ht": _comma(invoice.total_ht), "total_tva": _comma(invoice.total_tva),
               "total_ttc": _comma(invoice.total_ttc)}
    return invoice, await render_pdf(INVOICE_TEMPLATE, context, org or {"name": "", "address": ""})


async def invoice_file(organisation_id: int | None, invoice_id: object) -> tuple[Invoice, bytes]:
    """The invoice's stored PDF (the core document its job rendered), else rendered now."""
    from core.documents.storage import bound_storage
    from core.documents.tables import Document

    invoice, _ = await _own_invoice(organisation_id, invoice_id)
    if invoice.document:
        row = await Document.select(Document.storage_key).where(
            (Document.id == invoice.document) & (Document.organisation == invoice.organisation)).first()
        if row is not None:
            return invoice, await bound_storage().get(row["storage_key"])
    return await invoice_pdf(int(invoice.organisation), invoice.id)
