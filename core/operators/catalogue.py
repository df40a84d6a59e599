"""Catalogue rules per module (public, on request, restricted) and price overrides per organisation, as the
cart applies them (core.modules.cart calls `check_orderable` and `prices`)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from core import audit, db
from core.errors import ValidationFailed
from core.operators.tables import CatalogueRule, ModuleRequest, Operator, PriceOverride

RULES = {"public": "Public", "on_request": "Sur demande", "restricted": "Réservé aux opérateurs"}


async def rules() -> dict[str, str]:
    return {r["module"]: r["rule"] for r in await CatalogueRule.select(CatalogueRule.module, CatalogueRule.rule)}


async def set_rule(operator: Operator, module: str, rule: str) -> None:
    if rule not in RULES:
        raise ValidationFailed.on("rule", "Choisissez une règle du catalogue.")
    async with db.write_transaction():
        await CatalogueRule.delete().where(CatalogueRule.module == module)
        await CatalogueRule(module=module, rule=rule).save()
        await audit.record("operator.catalogue_rule", target=f"module:{module}",
                           summary=f"Règle « {RULES[rule]} » pour {module} ({operator.email})")


async def check_orderable(organisation_id: int, module: str) -> None:
    """Raise a French error naming `module` when the organisation's owner may not put it in the cart; an
    on-request module records the owner's request (once) for an operator to approve."""
    rule = await CatalogueRule.select(CatalogueRule.rule).where(CatalogueRule.module == module).first()
    kind = rule["rule"] if rule else "public"
    if kind == "restricted":
        raise ValidationFailed.on("module", "Ce module est activé uniquement par l'opérateur de la plateforme.")
    if kind == "on_request":
        asked = await ModuleRequest.select(ModuleRequest.status).where(
            (ModuleRequest.organisation == organisation_id) & (ModuleRequest.module == module)).first()
        if asked and asked["status"] == "approved":
            return
        if asked is None:
            await ModuleRequest(organisation=organisation_id, module=module).save()
        raise ValidationFailed.on("module", "Ce module est disponible sur demande : votre demande a été transmise "
                                            "à l'opérateur, vous pourrez le commander dès son accord.")


async def pending_requests(organisation_id: int) -> list[dict[str, object]]:
    return await ModuleRequest.select().where((ModuleRequest.organisation == organisation_id)
                                              & (ModuleRequest.status == "pending"))


async def decide(operator: Operator, organisation_id: int, request_id: object, approve: bool) -> None:
    try:
        rid = int(str(request_id))
    except ValueError:
        raise ValidationFailed.on("request_id", "Demande inconnue.") from None
    async with db.write_transaction():
        done = await ModuleRequest.update({ModuleRequest.status: "approved" if approve else "refused",
                                           ModuleRequest.decided_by: operator.id}).where(
            (ModuleRequest.id == rid) & (ModuleRequest.organisation == organisation_id)).returning(ModuleRequest.module)
        if not done:
            raise ValidationFailed.on("request_id", "Demande inconnue.")
        await audit.record("operator.module_request", organisation_id=organisation_id, target=f"request:{rid}",
                           summary=("Demande acceptée" if approve else "Demande refusée")
                           + f" : {done[0]['module']} ({operator.email})")


async def prices(organisation_id: int) -> dict[str, Decimal]:
    rows = await PriceOverride.select(PriceOverride.module, PriceOverride.price_ht).where(
        PriceOverride.organisation == organisation_id)
    return {r["module"]: Decimal(str(r["price_ht"])) for r in rows}


async def set_price(operator: Operator, organisation_id: int, module: str, raw: str) -> None:
    """A price HT for the organisation (empty: back to the catalogue's)."""
    price = None
    if raw.strip():
        try:
            price = Decimal(raw.strip().replace(",", ".")).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise ValidationFailed.on("price_ht", "Prix invalide (exemple : 12,50).") from None
        if price < 0 or price > Decimal("1000000"):
            raise ValidationFailed.on("price_ht", "Le prix doit être positif.")
    async with db.write_transaction():
        await PriceOverride.delete().where((PriceOverride.organisation == organisation_id)
                                           & (PriceOverride.module == module))
        if price is not None:
            await PriceOverride(organisation=organisation_id, module=module, price_ht=price).save()
        await audit.record("operator.price", organisation_id=organisation_id, target=f"module:{module}",
                           summary=f"Prix de {module} : {price if price is not None else 'catalogue'} € HT "
                                   f"({operator.email})")
