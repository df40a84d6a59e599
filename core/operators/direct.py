"""Enable or disable a module for an office from the console, through the order's own path: an order
(free of charge if asked), `activation.set_active`, its one-off invoice, the `order.placed` audit entry and
the owner's email in one transaction, then `after_checkout` (module_changed hooks and OrderPlaced) once committed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from core import audit, db, events
from core.commerce.orders import OrderLineIn, place_order
from core.commerce.tables import Order
from core.errors import FieldError, NotFound, ValidationFailed
from core.modules import activation, cart
from core.modules.catalog import Catalog
from core.modules.checkout import Change, _check_dependencies, after_checkout
from core.modules.notifications import queue_order_confirmation
from core.operators import catalogue, invoicing
from core.operators.tables import DirectActivation, Operator
from core.plugin_api.types import OrderLineProposal, OrderProposal
from core.plugins.manager import PluginManager
from core.tenancy.actor import Actor
from core.tenancy.roles import Role
from core.tenancy.tables import Office, Organisation


@dataclass(frozen=True, slots=True)
class DirectChange:
    office_id: object
    module: str
    active: bool
    reason: str
    free: bool = False
    trial_end: date | None = None


async def owner_actor(organisation_id: int) -> Actor:
    """The organisation's first owner, as the actor the order is addressed to (its email, its hooks)."""
    rows = await db.fetch(
        'SELECT m.id, m.display_name, u.id AS uid, u.email FROM core_member m JOIN core_user u ON u.id = m."user" '
        "WHERE m.organisation = {} AND m.role = {} ORDER BY m.id LIMIT 1", organisation_id, Role.owner.value)
    if not rows:
        raise NotFound("Cette organisation n'a pas de gérant.")
    row = rows[0]
    return Actor(row["uid"], row["email"], row["id"], organisation_id, Role.owner, row["display_name"])


def _validate(change: DirectChange, today: date) -> list[tuple[str, str]]:
    errors = []
    if not change.reason.strip():
        errors.append(("reason", "Indiquez la raison de ce changement."))
    if change.trial_end is not None and change.trial_end <= today:
        errors.append(("trial_end", "La fin d'essai doit être une date future."))
    if change.trial_end is not None and not change.active:
        errors.append(("trial_end", "Une fin d'essai ne s'applique qu'à une activation."))
    return errors


async def apply(manager: PluginManager, catalog: Catalog, operator: Operator, organisation_id: int,
                change: DirectChange, base_url: str, today: date | None = None) -> Order:
    today = today or datetime.now(UTC).date()
    try:
        office_id = int(str(change.office_id))
    except ValueError:
        raise ValidationFailed.on("office_id", "Choisissez un bureau.") from None
    office = await Office.objects().where((Office.id == office_id) & (Office.organisation == organisation_id)).first()
    if office is None:
        raise ValidationFailed.on("office_id", "Ce bureau n'appartient pas à cette organisation.")
    if change.module not in catalog.modules:
        raise ValidationFailed.on("module", "Ce module n'existe pas.")
    module = catalog.get(change.module) if change.active else catalog.modules[change.module]
    errors = _validate(change, today)
    if errors:
        raise ValidationFailed(errors[0][1], [FieldError(f, m) for f, m in errors])
    if await activation.is_active(office.id, change.module) == change.active:
        raise ValidationFailed.on("module", "Le module est déjà " + ("actif" if change.active else "inactif")
                                  + " dans ce bureau.")
    owner = await owner_actor(organisation_id)
    action = "activate" if change.active else "deactivate"
    overrides = await catalogue.prices(organisation_id)
    unit = cart.price(module, action)
    if change.active and change.module in overrides:
        unit = overrides[change.module]
    if change.free:
        unit = Decimal("0.00")
    verb = "Activation" if change.active else "Désactivation"
    label = f"{verb} « {module.title} » — {office.name}"
    changes = [Change(office.id, change.module, change.active)]
    async with db.write_transaction():
        await db.lock_row(Organisation, organisation_id)  # as a checkout: one order per organisation at a time
        await _check_dependencies(catalog, changes)
        await events.validate(OrderProposal(organisation_id=organisation_id, user_id=owner.user_id, lines=(
            OrderLineProposal(office_id=office.id, module=change.module, action=action, unit_ht=unit),)))
        order = await place_order(organisation_id, None, [
            OrderLineIn(label=label, unit_ht=unit, office_id=office.id, source=change.module, reference=action)])
        await activation.set_active(organisation_id, office.id, change.module, change.active, order.id)
        await invoicing.invoice_order(catalog, order.id)  # a one-off module's charge, as a checkout's
        await audit.record("order.placed", organisation_id=organisation_id, actor_user_id=None,
                           target=f"order:{order.id}", summary=f"Commande n° {order.number} (par l'opérateur)",
                           details={"changes": [[office.id, change.module, change.active]],
                                    "total_ttc": str(order.total_ttc), "operator": operator.email,
                                    "reason": change.reason.strip(), "free": change.free,
                                    "trial_end": change.trial_end.isoformat() if change.trial_end else None})
        await DirectActivation.update({DirectActivation.ended_at: datetime.now(UTC)}).where(
            (DirectActivation.office == office.id) & (DirectActivation.module == change.module)
            & DirectActivation.ended_at.is_null())
        await DirectActivation(organisation=organisation_id, office=office.id, module=change.module,
                               active=change.active, order=order.id, operator=operator.id,
                               reason=change.reason.strip(), free=change.free, trial_end=change.trial_end).save()
        await queue_order_confirmation(base_url, owner, order)
    await after_checkout(manager, owner, order, changes)
    return order


async def trials(organisation_id: int) -> dict[tuple[int, str], date]:
    """{(office, module): trial end} of the running trials of the organisation."""
    rows = await DirectActivation.select(DirectActivation.office, DirectActivation.module,
                                         DirectActivation.trial_end).where(
        (DirectActivation.organisation == organisation_id) & DirectActivation.ended_at.is_null()
        & DirectActivation.trial_end.is_not_null() & (DirectActivation.active == True))  # noqa: E712
    return {(r["office"], r["module"]): r["trial_end"] for r in rows}


async def expire_trials(manager: PluginManager, catalog: Catalog, today: date | None = None) -> int:
    """Disable every module whose trial ended before `today`, through the same path; returns how many."""
    today = today or datetime.now(UTC).date()
    due = await DirectActivation.objects().where(
        DirectActivation.ended_at.is_null() & (DirectActivation.active == True)  # noqa: E712
        & DirectActivation.trial_end.is_not_null() & (DirectActivation.trial_end < today))
    for row in due:
        operator = await Operator.objects().where(Operator.id == row.operator).first()
        if operator is None or not await activation.is_active(row.office, row.module):
            continue
        await apply(manager, catalog, operator, row.organisation,
                    DirectChange(row.office, row.module, False, "Fin de la période d'essai"), "", today)
    return len(due)


