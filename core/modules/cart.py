"""The organisation's cart of module changes (owners only). Activating pulls the missing dependencies
in; deactivating pulls in the active modules that depend on it; un-doing a change removes its line."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core import db
from core.commerce.money import ZERO, Amounts, line_amounts, totals
from core.errors import ValidationFailed
from core.modules import activation
from core.modules.catalog import Catalog, ModuleInfo
from core.modules.tables import CartLine
from core.tenancy import services as tenancy
from core.tenancy.actor import Actor
from core.tenancy.roles import Role
from core.tenancy.tables import Office

ACTIONS = ("activate", "deactivate")


@dataclass(frozen=True, slots=True)
class PricedLine:
    id: int
    office_id: int
    office_name: str
    module: ModuleInfo | None
    module_id: str
    action: str
    unit_ht: Decimal
    amounts: Amounts

    @property
    def label(self) -> str:
        title = self.module.title if self.module else self.module_id
        verb = "Activation" if self.action == "activate" else "Désactivation"
        return f"{verb} « {title} » — {self.office_name}"


@dataclass(frozen=True, slots=True)
class CartView:
    lines: list[PricedLine]
    total: Amounts


def price(module: ModuleInfo | None, action: str) -> Decimal:
    """Activations cost the module's price HT; deactivations are free."""
    return module.price_ht if module is not None and action == "activate" else Decimal("0.00")


async def add_line(actor: Actor, catalog: Catalog, office_id: object, module_id: str, action: str) -> None:
    actor.require(Role.owner)
    if action not in ACTIONS:
        raise ValidationFailed.on("action", "L'action doit être « activate » ou « deactivate ».")
    catalog.get(module_id)
    office = await tenancy.get_office(actor, office_id)
    if action == "activate":  # the operators' catalogue rules: public, on request, restricted
        from core.operators.catalogue import check_orderable

        for wanted in (*catalog.dependencies(module_id), module_id):
            await check_orderable(actor.organisation_id, wanted)
    async with db.write_transaction():
        active = await activation.active_in_office(office.id)
        lines = {row.module: row for row in await actor.scope.objects(CartLine).where(CartLine.office == office.id)}
        existing = lines.get(module_id)
        if existing is None and (module_id in active) == (action == "activate"):
            state = "déjà actif" if action == "activate" else "pas actif"
            raise ValidationFailed.on("module", f"Ce module est {state} pour le bureau « {office.name} ».")
        if action == "activate":
            for dep in catalog.dependencies(module_id):
                catalog.get(dep, "module")
                await _put(actor, office, dep, True, active, lines)
        else:
            for dependent in catalog.dependents(module_id):
                await _put(actor, office, dependent, False, active, lines)
        await _put(actor, office, module_id, action == "activate", active, lines)


async def _put(actor: Actor, office: Office, module_id: str, want_active: bool, active: set[str],
               lines: dict[str, CartLine]) -> None:
    """Make the cart say `want_active` for module × office: no line when that is already the state."""
    line = lines.pop(module_id, None)
    if line is not None:
        await CartLine.delete().where(CartLine.id == line.id)
    if (module_id in active) != want_active:
        new = CartLine(organisation=actor.organisation_id, office=office.id, module=module_id,
                       action="activate" if want_active else "deactivate", added_by=actor.user_id)
        await new.save()
        lines[module_id] = new


async def remove_line(actor: Actor, line_id: object) -> None:
    actor.require(Role.owner)
    line = await actor.scope.get(CartLine, line_id)
    await CartLine.delete().where(CartLine.id == line.id)


async def line_count(actor: Actor) -> int:
    """How many lines the owner's cart holds (the « Mon panier (n) » link on every module page)."""
    actor.require(Role.owner)
    return len(await actor.scope.select(CartLine, CartLine.id))


async def view(actor: Actor, catalog: Catalog) -> CartView:
    actor.require(Role.owner)
    rows = await actor.scope.select(CartLine, CartLine.id, CartLine.office, CartLine.office.name, CartLine.module,
                                    CartLine.action).order_by(CartLine.office).order_by(CartLine.id)
    from core.operators.catalogue import prices

    overrides = await prices(actor.organisation_id) if rows else {}  # an operator's price for this organisation
    lines = []
    for row in rows:
        module = catalog.modules.get(row["module"])
        unit = price(module, row["action"])
        if row["action"] == "activate" and row["module"] in overrides:
            unit = overrides[row["module"]]
        lines.append(PricedLine(row["id"], row["office"], row["office.name"], module, row["module"], row["action"],
                                unit, line_amounts(unit)))
    return CartView(lines, totals(line.amounts for line in lines) if lines else ZERO)
