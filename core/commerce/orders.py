"""Orders: numbered per organisation without gaps or duplicates, lines priced with `money`.

`place_order` is public plugin API (certification_robert and formation_cqc bill through it). Call it
inside your own `write_transaction()` when the order must commit together with other changes.

An order is addressed to the platform's operator: its lines that no `Billing.monthly` module bills by the month
are invoiced once by the operator side (`core.operators.invoicing`) — with the order by the checkout and the
direct activation, otherwise by the next monthly billing run.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

import msgspec

from core import db
from core.commerce.money import VAT_RATE, Amounts, line_amounts, totals
from core.commerce.tables import Order, OrderCounter, OrderLine
from core.errors import ValidationFailed
from core.tenancy.scope import Scope


class OrderStatus(StrEnum):
    placed = "placed"
    paid = "paid"
    cancelled = "cancelled"

    @property
    def label(self) -> str:
        return {"placed": "Commandée", "paid": "Payée", "cancelled": "Annulée"}[self.value]


class OrderLineIn(msgspec.Struct, frozen=True, kw_only=True):
    label: str
    unit_ht: Decimal
    quantity: int = 1
    vat_rate: Decimal = VAT_RATE
    office_id: int | None = None
    source: str = ""
    reference: str = ""

    def amounts(self) -> Amounts:
        return line_amounts(self.unit_ht, self.quantity, self.vat_rate)


async def next_number(organisation_id: int) -> int:
    """The next order number of the organisation. Runs in the caller's write transaction: the counter
    row's update locks it (PostgreSQL) or the transaction holds the write lock (SQLite)."""
    await OrderCounter.raw(
        "INSERT INTO core_order_counter (organisation, last_number) VALUES ({}, 0) "
        "ON CONFLICT (organisation) DO NOTHING", organisation_id)
    rows = await OrderCounter.raw(
        "UPDATE core_order_counter SET last_number = last_number + 1 WHERE organisation = {} "
        "RETURNING last_number", organisation_id)
    return int(rows[0]["last_number"])


async def place_order(organisation_id: int, user_id: int | None, lines: list[OrderLineIn],
                      status: OrderStatus = OrderStatus.placed) -> Order:
    """Create an order with its lines and totals (HT, TVA, TTC summed from rounded lines)."""
    if not lines:
        raise ValidationFailed.on("lines", "Une commande doit contenir au moins une ligne.")
    for line in lines:
        if line.quantity < 0 or line.unit_ht < 0 or line.vat_rate < 0:
            raise ValidationFailed.on("lines", "Quantités, prix et taux de TVA doivent être positifs.")
    priced = [(line, line.amounts()) for line in lines]
    total = totals(amounts for _, amounts in priced)
    async with db.write_transaction():
        order = Order(organisation=organisation_id, number=await next_number(organisation_id), status=status,
                      total_ht=total.ht, total_tva=total.tva, total_ttc=total.ttc, created_by=user_id)
        await order.save()
        await OrderLine.insert(*[
            OrderLine(organisation=organisation_id, order=order.id, office=line.office_id, source=line.source,
                      reference=line.reference, label=line.label, unit_ht=line.unit_ht, quantity=line.quantity,
                      vat_rate=line.vat_rate, ht=amounts.ht, tva=amounts.tva, ttc=amounts.ttc)
            for line, amounts in priced
        ])
    return order


async def list_orders(organisation_id: int) -> list[Order]:
    return await Scope(organisation_id).objects(Order).order_by(Order.number, ascending=False)


async def get_order(organisation_id: int, order_id: object) -> tuple[Order, list[OrderLine]]:
    """An order of the organisation with its lines (NotFound for another organisation's id)."""
    scope = Scope(organisation_id)
    order = await scope.get(Order, order_id, "Cette commande n'existe pas.")
    return order, await scope.objects(OrderLine).where(OrderLine.order == order.id).order_by(OrderLine.id)
