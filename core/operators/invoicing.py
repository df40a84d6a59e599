"""One-off charges: every order is invoiced once for its lines that are not billed by the month.

A module billed `Billing.monthly` is invoiced by the monthly run (prorated by day); everything else an order
charges — a one-off module's activation, any line a module placed through `place_order` — is due when the
order is placed, so the checkout and the operator's direct activation call `invoice_order` inside the order's
own transaction: the invoice (gap-free number from the organisation's counter, its lines copied from the
order's, its PDF queued as a job) commits with the order or not at all, and the order becomes `invoiced`.

The monthly run calls `invoice_pending_orders` first: an order no standing invoice covers yet (placed by a
path that does not invoice, or whose invoice a credit note cancelled) is invoiced then. Both are idempotent:
the invoice's slot « order:<id> » is unique per organisation while the invoice stands, checked under the
organisation's row lock. An order cancelled by an operator, or with nothing to pay, gets no invoice."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from core import db, jobs
from core.commerce.money import Amounts, totals
from core.modules.catalog import Catalog
from core.operators.billing import ORGS_PER_TRANSACTION, PDF_JOB, PDF_PER_SECOND, next_number
from core.operators.tables import Invoice, InvoiceLine, OrderState
from core.plugin_api.manifest import Billing
from core.tenancy.tables import Organisation


def monthly_modules(catalog: Catalog) -> set[str]:
    return {m.id for m in catalog.all() if m.billing is Billing.monthly}


def _money(value: object) -> Decimal:
    return Decimal(str(value))


async def invoice_order(catalog: Catalog, order_id: int, pdf_at: datetime | None = None) -> int | None:
    """Invoice the order's one-off lines once; the new invoice's id, or None (nothing due, already invoiced,
    or cancelled). Joins the caller's write transaction when there is one."""
    monthly = monthly_modules(catalog)
    async with db.write_transaction():
        found = await db.fetch("SELECT id, organisation, number, status, created_at FROM core_order WHERE id = {}",
                               order_id)
        if not found or found[0]["status"] == "cancelled":
            return None
        order = found[0]
        organisation_id = int(order["organisation"])
        await db.lock_row(Organisation, organisation_id)
        slot = f"order:{order_id}"
        if await db.fetch_tuples("SELECT 1 FROM core_operator_invoice WHERE organisation = {} AND slot = {}",
                                 organisation_id, slot):
            return None
        state = await db.fetch_tuples('SELECT status FROM core_operator_order_state WHERE "order" = {}', order_id)
        if state and state[0][0] == "cancelled":
            return None
        lines = [line for line in await db.fetch(
            'SELECT office, source, label, quantity, unit_ht, ht, tva, ttc FROM core_order_line WHERE "order" = {} '
            "ORDER BY id", order_id) if line["source"] not in monthly and _money(line["ht"]) > 0]
        if not lines:
            return None
        total = totals(Amounts(_money(r["ht"]), _money(r["tva"]), _money(r["ttc"])) for r in lines)
        now = datetime.now(UTC)
        day = order["created_at"] if isinstance(order["created_at"], datetime) else datetime.fromisoformat(
            str(order["created_at"]))
        number = await next_number(organisation_id)
        inserted = await Invoice.raw(
            "INSERT INTO core_operator_invoice (organisation, number, month, status, total_ht, total_tva, total_ttc, "
            'created_at, kind, "order", slot) VALUES ({}, {}, {}, \'to_pay\', {}, {}, {}, {}, \'order\', {}, {}) '
            "RETURNING id", organisation_id, number, f"{day.year:04d}-{day.month:02d}", total.ht, total.tva,
            total.ttc, now, order_id, slot)
        invoice_id = int(inserted[0]["id"])
        await InvoiceLine.insert(*[
            InvoiceLine(organisation=organisation_id, invoice=invoice_id, office=line["office"],
                        module=str(line["source"])[:50], label=line["label"], days=int(line["quantity"]),
                        unit_ht=_money(line["unit_ht"]), ht=_money(line["ht"]), tva=_money(line["tva"]),
                        ttc=_money(line["ttc"]))
            for line in lines])
        await OrderState.raw(
            'INSERT INTO core_operator_order_state ("order", organisation, status, invoice, reason, changed_at) '
            "VALUES ({}, {}, 'invoiced', {}, '', {}) ON CONFLICT (\"order\") DO NOTHING",
            order_id, organisation_id, invoice_id, now)
        await jobs.schedule(PDF_JOB, {"invoice_id": invoice_id}, key=f"invoice-pdf:{invoice_id}",
                            organisation_id=organisation_id, at=pdf_at)
    return invoice_id


async def pending_orders(catalog: Catalog, before: datetime) -> list[tuple[int, int]]:
    """(organisation, order) of the orders placed before `before` with a one-off charge that no standing
    invoice covers and that no operator cancelled, by organisation then order."""
    monthly = sorted(monthly_modules(catalog))
    not_monthly = f"AND l.source NOT IN ({', '.join('{}' for _ in monthly)}) " if monthly else ""
    rows = await db.fetch_tuples(
        "SELECT DISTINCT o.organisation, o.id FROM core_order o JOIN core_order_line l ON l.\"order\" = o.id "
        'LEFT JOIN core_operator_order_state s ON s."order" = o.id '
        f"WHERE o.created_at < {{}} AND o.status <> 'cancelled' AND l.ht > 0 {not_monthly}"
        "AND (s.status IS NULL OR s.status <> 'cancelled') "
        'AND NOT EXISTS (SELECT 1 FROM core_operator_invoice i WHERE i."order" = o.id AND i.slot IS NOT NULL) '
        "ORDER BY o.organisation, o.id", before, *monthly)
    return [(int(r[0]), int(r[1])) for r in rows]


async def invoice_pending_orders(catalog: Catalog, following: date) -> list[int]:
    """Invoice every pending one-off order placed before `following` (a date: the billed month's end), in
    organisation order, `ORGS_PER_TRANSACTION` orders per transaction; the invoices created."""
    before = datetime(following.year, following.month, following.day, tzinfo=UTC)
    due = await pending_orders(catalog, before)
    created: list[int] = []
    start = datetime.now(UTC)
    for chunk in range(0, len(due), ORGS_PER_TRANSACTION):
        async with db.write_transaction():
            for _, order_id in due[chunk:chunk + ORGS_PER_TRANSACTION]:
                invoice_id = await invoice_order(catalog, order_id,
                                                 start + timedelta(seconds=len(created) / PDF_PER_SECOND))
                if invoice_id is not None:
                    created.append(invoice_id)
    return created
