"""Every order across the organisations with its billing status, and the invoices' payment or cancellation.

An order is `to_invoice` until a monthly invoice covers it (`invoiced`), then `paid` with its invoice; one
that charges nothing outside the modules billed by the month is `nothing_due` (it never gets an invoice of its
own: core.operators.invoicing). An operator may cancel an order not invoiced yet (its lines are then ignored
by the billing, as free ones).
Cancelling an invoice keeps its number (numbers never have gaps), issues its credit note (« avoir »,
core.operators.credit_notes) and puts its orders back to invoice: the next monthly run bills them (and the
month) again, unless the operator cancels the order too. Every change is audited on the organisation's log."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from core import audit, db
from core.commerce.money import format_eur
from core.errors import NotFound, ValidationFailed
from core.operators import credit_notes
from core.operators.tables import CreditNote, Invoice, Operator, OrderState
from core.tenancy.tables import Organisation

ORDER_STATUSES = {"to_invoice": "À facturer", "invoiced": "Facturée", "paid": "Payée", "cancelled": "Annulée",
                  "nothing_due": "Rien à facturer"}
INVOICE_STATUSES = {"to_pay": "À payer", "paid": "Payée", "cancelled": "Annulée"}


def _int(value: object, message: str) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise NotFound(message) from None


def _state_sql(monthly: Collection[str]) -> tuple[str, list[Any]]:
    """The order's billing status as SQL (`o` the order, `s` its state row): without a state row, `to_invoice`
    when a line charges something outside the `monthly` modules (what `invoicing.invoice_order` bills), else
    `nothing_due`."""
    not_monthly = f" AND l.source NOT IN ({', '.join('{}' for _ in monthly)})" if monthly else ""
    return ("COALESCE(s.status, CASE WHEN EXISTS (SELECT 1 FROM core_order_line l WHERE l.\"order\" = o.id "
            f"AND l.ht > 0{not_monthly}) THEN 'to_invoice' ELSE 'nothing_due' END)", sorted(monthly))


async def orders(q: str = "", status: str = "", month: str = "", limit: int = 200,
                 order_id: int | None = None, monthly: Collection[str] = ()) -> list[dict[str, Any]]:
    """Orders of every organisation, newest first, filtered by organisation (name or slug), status, month.
    `monthly`: the ids of the modules billed by the month (`invoicing.monthly_modules`), whose lines an order
    does not invoice."""
    state, state_args = _state_sql(monthly)
    where, args = ["1 = 1"], []
    if order_id is not None:
        where.append("o.id = {}")
        args.append(order_id)
    if q.strip():
        where.append("(LOWER(g.name) LIKE {} OR LOWER(g.slug) LIKE {})")
        args += [f"%{q.strip().lower()}%"] * 2
    if status in ORDER_STATUSES:
        where.append(f"{state} = {{}}")
        args += [*state_args, status]
    if month:
        from core.operators.billing import month_bounds

        first, following, _ = month_bounds(month)
        where.append("o.created_at >= {} AND o.created_at < {}")
        args += [datetime(first.year, first.month, 1, tzinfo=UTC),
                 datetime(following.year, following.month, 1, tzinfo=UTC)]
    rows = await db.fetch(
        "SELECT o.id, o.number, o.total_ttc, o.created_at, g.id AS organisation_id, g.name AS organisation_name, "
        f"{state} AS state, i.number AS invoice_number FROM core_order o "
        "JOIN core_organisation g ON g.id = o.organisation "
        'LEFT JOIN core_operator_order_state s ON s."order" = o.id '
        "LEFT JOIN core_operator_invoice i ON i.id = s.invoice "
        f"WHERE {' AND '.join(where)} ORDER BY o.created_at DESC, o.id DESC LIMIT {int(limit)}", *state_args, *args)
    for row in rows:
        row["state_label"] = ORDER_STATUSES.get(row["state"], row["state"])
    return rows


async def cancel_order(operator: Operator, order_id: object, reason: str, ip: str = "") -> int:
    """Cancel an order not yet invoiced; returns its organisation's id."""
    wanted = _int(order_id, "Cette commande n'existe pas.")
    if not reason.strip():
        raise ValidationFailed.on("reason", "Indiquez la raison de l'annulation.")
    async with db.write_transaction():
        found = await db.fetch("SELECT id, organisation, number FROM core_order WHERE id = {}", wanted)
        if not found:
            raise NotFound("Cette commande n'existe pas.")
        order = found[0]
        state = await OrderState.objects().where(OrderState.order == wanted).first()
        if state is not None:
            raise ValidationFailed.on("reason", "Seule une commande à facturer peut être annulée (celle-ci est "
                                      f"« {ORDER_STATUSES.get(state.status, state.status)} »).")
        await OrderState(order=wanted, organisation=order["organisation"], status="cancelled",
                         reason=reason.strip()).save()
        await audit.record("order.cancelled", organisation_id=order["organisation"], target=f"order:{wanted}", ip=ip,
                           summary=f"Commande n° {order['number']} annulée par l'opérateur {operator.email}",
                           details={"operator": operator.email, "reason": reason.strip()})
    return int(order["organisation"])


class StatusChange(NamedTuple):
    invoice: Invoice
    note: CreditNote | None  # None when marked paid
    refund: bool = False  # a paid invoice cancelled: its amount is owed back to the organisation


REFUND = "Facture déjà réglée : montant à rembourser"


async def set_invoice_status(operator: Operator, invoice_id: object, status: str, ip: str = "",
                             reason: str = "") -> StatusChange:
    """Mark an invoice to pay as paid (its orders become paid) or cancel it, paid or not: its credit note is
    issued (saying, for a paid one, that its amount is to be refunded), its slot freed and its orders go back
    to invoice."""
    wanted = _int(invoice_id, "Cette facture n'existe pas.")
    if status not in ("paid", "cancelled"):
        raise ValidationFailed.on("status", "Choisissez « payée » ou « annulée ».")
    note = None
    async with db.write_transaction():
        invoice = await Invoice.objects().where(Invoice.id == wanted).first()
        if invoice is None:
            raise NotFound("Cette facture n'existe pas.")
        await db.lock_row(Organisation, int(invoice.organisation))  # as the billing: one writer per organisation
        invoice = await Invoice.objects().where(Invoice.id == wanted).first()  # re-read under the lock
        assert invoice is not None
        if invoice.status == "cancelled" or invoice.status == status:  # a paid invoice may still be credited
            raise ValidationFailed.on("status", f"La facture n° {invoice.number} est déjà "
                                      f"« {INVOICE_STATUSES.get(invoice.status, invoice.status).lower()} ».")
        refund = invoice.status == "paid"
        now = datetime.now(UTC)
        if status == "paid":
            await Invoice.update({Invoice.status: status, Invoice.status_changed_at: now}).where(
                Invoice.id == wanted)
            await OrderState.update({OrderState.status: "paid", OrderState.changed_at: now}).where(
                OrderState.invoice == wanted)
        else:
            await Invoice.update({Invoice.status: status, Invoice.status_changed_at: now, Invoice.slot: None}).where(
                Invoice.id == wanted)
            await OrderState.delete().where(OrderState.invoice == wanted)
            reason = " — ".join(part for part in (reason.strip(), REFUND if refund else "") if part)
            note = await credit_notes.issue(operator, invoice, reason)
        verb = "payée" if status == "paid" else f"annulée par l'avoir n° {note.number}" if note else ""
        await audit.record(f"invoice.{status}", organisation_id=int(invoice.organisation), ip=ip,
                           target=f"invoice:{wanted}",
                           summary=f"Facture n° {invoice.number} ({invoice.month}) {verb} (opérateur "
                                   f"{operator.email})",
                           details={"operator": operator.email, "total_ttc": str(invoice.total_ttc),
                                    "credit_note": note.number if note else None, "reason": reason.strip()})
    invoice.status = status
    return StatusChange(invoice, note, refund and note is not None)


def status_message(change: StatusChange) -> str:
    """What the console tells the operator once an invoice's status changed."""
    invoice, note, refund = change
    if note is None:
        return f"Facture n° {invoice.number} : {INVOICE_STATUSES[invoice.status].lower()}."
    owed = (f" Elle était réglée : remboursez {format_eur(Decimal(str(invoice.total_ttc)))} TTC à l'organisation."
            if refund else "")
    return (f"Facture n° {invoice.number} annulée : avoir n° {note.number} émis.{owed} Ses commandes reviennent "
            "« à facturer » : la prochaine facturation mensuelle les facturera de nouveau, sauf si vous les annulez.")
