"""API of modules, the cart and orders (DESIGN.md §6). Thin: rules in cart/checkout/orders."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from litestar import Request, Router, delete, get, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_204_NO_CONTENT

from core.auth.guards import CurrentActor, authenticated, require_role
from core.commerce import orders
from core.commerce.money import quantize
from core.commerce.tables import Order, OrderLine
from core.modules import cart, purge
from core.modules.catalog import Catalog
from core.modules.checkout import after_checkout, checkout
from core.modules.schemas import CartLineIn, CartLineOut, CartOut, ModuleOut, OrderLineOut, OrderOut, PurgeIn
from core.plugins.records import scrub_paths
from core.tenancy.roles import Role
from core.web.params import PathId

RATE = Decimal("0.0001")


def money(value: object) -> str:
    return str(quantize(value))  # type: ignore[arg-type]


def catalog_of(request: Request[Any, Any, Any]) -> Catalog:
    return Catalog.of(request.app.state.plugins)


def cart_out(view: cart.CartView) -> CartOut:
    return CartOut(lines=[CartLineOut(id=line.id, office_id=line.office_id, office_name=line.office_name,
                                      module=line.module_id, title=line.module.title if line.module else line.module_id,
                                      action=line.action, unit_ht=money(line.unit_ht), ht=str(line.amounts.ht),
                                      tva=str(line.amounts.tva), ttc=str(line.amounts.ttc)) for line in view.lines],
                   ht=str(view.total.ht), tva=str(view.total.tva), ttc=str(view.total.ttc))


def order_out(order: Order, lines: list[OrderLine] | None = None) -> OrderOut:
    return OrderOut(id=order.id, number=order.number, status=order.status, created_at=order.created_at,
                    ht=money(order.total_ht), tva=money(order.total_tva), ttc=money(order.total_ttc),
                    lines=[OrderLineOut(id=line.id, office_id=line.office, module=line.source, action=line.reference,
                                        label=line.label, unit_ht=money(line.unit_ht), quantity=line.quantity,
                                        vat_rate=str(Decimal(line.vat_rate).quantize(RATE)), ht=money(line.ht),
                                        tva=money(line.tva), ttc=money(line.ttc)) for line in lines or []])


@get("/modules", summary="Modules installés : prix, version, état")
async def list_modules(request: Request[Any, Any, Any]) -> list[ModuleOut]:
    return [ModuleOut(id=m.id, title=m.title, summary=m.summary, version=m.version, price_ht=str(m.price_ht),
                      billing=m.billing.value, status=m.status.value, depends=list(m.depends),
                      error=scrub_paths(m.error))
            for m in catalog_of(request).all()]


@get("/cart", guards=[require_role(Role.owner)], summary="Le panier : lignes et totaux HT, TVA, TTC")
async def get_cart(request: Request[Any, Any, Any], actor: CurrentActor) -> CartOut:
    return cart_out(await cart.view(actor, catalog_of(request)))


@post("/cart/lines", guards=[require_role(Role.owner)], summary="Ajouter une activation ou une désactivation")
async def add_cart_line(request: Request[Any, Any, Any], actor: CurrentActor, data: JSONBody[CartLineIn]) -> CartOut:
    catalog = catalog_of(request)
    await cart.add_line(actor, catalog, data.office_id, data.module, data.action)
    return cart_out(await cart.view(actor, catalog))


@delete("/cart/lines/{line_id:str}", guards=[require_role(Role.owner)], status_code=HTTP_204_NO_CONTENT,
        summary="Retirer une ligne du panier")
async def delete_cart_line(actor: CurrentActor, line_id: PathId) -> None:
    await cart.remove_line(actor, line_id)


@post("/cart/checkout", guards=[require_role(Role.owner)], summary="Commander : la commande, activations comprises")
async def checkout_cart(request: Request[Any, Any, Any], actor: CurrentActor) -> OrderOut:
    order, changes = await checkout(actor, catalog_of(request), request.app.state.settings.base_url)
    await after_checkout(request.app.state.plugins, actor, order, changes)
    return order_out(*await orders.get_order(actor.organisation_id, order.id))


@get("/orders", guards=[require_role(Role.owner)], summary="Les commandes de l'organisation")
async def list_orders(actor: CurrentActor) -> list[OrderOut]:
    return [order_out(order) for order in await orders.list_orders(actor.organisation_id)]


@get("/orders/{order_id:str}", guards=[require_role(Role.owner)], summary="Une commande et ses lignes")
async def get_order(actor: CurrentActor, order_id: PathId) -> OrderOut:
    return order_out(*await orders.get_order(actor.organisation_id, order_id))


@post("/offices/{office_id:str}/modules/{module:str}/purge", guards=[require_role(Role.owner)],
      summary="Supprimer les données d'un module pour un bureau où il n'est plus actif")
async def purge_module(request: Request[Any, Any, Any], actor: CurrentActor, office_id: PathId,
                       module: FromPath[str], data: JSONBody[PurgeIn]) -> dict[str, Any]:
    office = await purge.purge(actor, request.app.state.plugins, office_id, module, data.confirmation)
    return {"office_id": office.id, "module": module, "purged": True}


api = Router("/api/v1", route_handlers=[list_modules, get_cart, add_cart_line, delete_cart_line, checkout_cart,
                                        list_orders, get_order, purge_module], guards=[authenticated],
             tags=["modules"])

def _routes() -> list[Any]:
    from core.modules.pages import pages

    return [api, pages]


ROUTES: list[Any] = _routes()
