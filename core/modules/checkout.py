"""Checkout: the cart becomes an order, and its activations take effect in the same transaction.

Concurrent checkouts of one cart serialize on the organisation (row lock on PostgreSQL, BEGIN IMMEDIATE
on SQLite): the first places the order, the others find the cart empty (409).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from core import audit, db, events
from core.commerce.orders import OrderLineIn, place_order
from core.commerce.tables import Order
from core.errors import Conflict, ValidationFailed
from core.modules import activation, cart
from core.modules.catalog import Catalog
from core.modules.notifications import queue_order_confirmation
from core.modules.tables import CartLine
from core.plugin_api.types import OrderLineProposal, OrderPlaced, OrderProposal
from core.plugins.manager import PluginManager
from core.tenancy.actor import Actor
from core.tenancy.roles import Role
from core.tenancy.tables import Organisation

log = logging.getLogger("socle.modules")


@dataclass(frozen=True, slots=True)
class Change:
    office_id: int
    module: str
    active: bool


async def checkout(actor: Actor, catalog: Catalog, base_url: str) -> tuple[Order, list[Change]]:
    """Place the cart's order; its activations, its one-off invoice, the audit entry and the owner's email are
    one transaction."""
    actor.require(Role.owner)
    async with db.write_transaction():
        await db.lock_row(Organisation, actor.organisation_id)  # one checkout per organisation at a time
        view = await cart.view(actor, catalog)
        if not view.lines:
            raise Conflict("Votre panier est vide : il n'y a rien à commander.")
        changes = [Change(line.office_id, line.module_id, line.action == "activate") for line in view.lines]
        for line in view.lines:
            if line.action == "activate":
                catalog.get(line.module_id)
        await _check_dependencies(catalog, changes)
        await events.validate(OrderProposal(organisation_id=actor.organisation_id, user_id=actor.user_id, lines=tuple(
            OrderLineProposal(office_id=line.office_id, module=line.module_id, action=line.action,
                              unit_ht=line.unit_ht) for line in view.lines)))
        order = await place_order(actor.organisation_id, actor.user_id, [
            OrderLineIn(label=line.label, unit_ht=line.unit_ht, office_id=line.office_id, source=line.module_id,
                        reference=line.action)
            for line in view.lines])
        for change in changes:
            await activation.set_active(actor.organisation_id, change.office_id, change.module, change.active,
                                        order.id)
        await CartLine.delete().where(CartLine.organisation == actor.organisation_id)
        from core.operators.invoicing import invoice_order  # one-off charges are invoiced with the order

        await invoice_order(catalog, order.id)
        await audit.record("order.placed", organisation_id=actor.organisation_id, actor_user_id=actor.user_id,
                           target=f"order:{order.id}", summary=f"Commande n° {order.number}",
                           details={"changes": [[c.office_id, c.module, c.active] for c in changes],
                                    "total_ttc": str(order.total_ttc)})
        await queue_order_confirmation(base_url, actor, order)
    return order, changes


async def _check_dependencies(catalog: Catalog, changes: list[Change]) -> None:
    for office_id in {c.office_id for c in changes}:
        final = await activation.active_in_office(office_id)
        for change in (c for c in changes if c.office_id == office_id):
            (final.add if change.active else final.discard)(change.module)
        for module in final:
            missing = [d for d in catalog.dependencies(module) if d not in final]
            if missing and module in catalog.modules:
                raise ValidationFailed.on("module", f"Le module « {catalog.modules[module].title} » a besoin de "
                                                    f"« {', '.join(missing)} » dans le même bureau.")


async def after_checkout(manager: PluginManager, actor: Actor, order: Order,
                         changes: list[Change]) -> None:
    """Once committed: each plugin told about its (de)activation, then OrderPlaced."""
    for change in changes:
        await manager.module_changed(change.module, actor.organisation_id, change.office_id, change.active)
    await manager.emit(OrderPlaced(organisation_id=actor.organisation_id, order_id=order.id, number=order.number,
                                   modules=tuple(sorted({c.module for c in changes}))))
