"""Owner pages: Ma configuration → Modules & passerelles → Gérer… → Mon panier → Valider → Commander.

Works without JavaScript (form posts and a cart page); `static/modules.js` adds the "Mon panier" dialog.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Router, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from core.auth.guards import CurrentActor, require_role
from core.commerce import orders
from core.commerce.money import format_eur
from core.commerce.orders import OrderStatus
from core.errors import Conflict, NotFound, ValidationFailed
from core.modules import activation, cart, purge
from core.modules.checkout import after_checkout, checkout
from core.modules.routes import catalog_of
from core.tenancy import services as tenancy
from core.tenancy.actor import Actor
from core.tenancy.roles import Role
from core.tenancy.tables import Office
from core.web.shell import render

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


def _values(data: dict[str, Any], name: str) -> list[str]:
    raw = data.get(name, [])
    return [str(v) for v in (raw if isinstance(raw, list) else [raw])]


async def _grid(request: Request[Any, Any, Any], actor: Actor) -> dict[str, Any]:
    """Offices × orderable modules: active now, pending in the cart, and the effective (ticked) state."""
    catalog = catalog_of(request)
    view = await cart.view(actor, catalog)
    active = await activation.active_by_office(actor.organisation_id)
    pending = {(line.office_id, line.module_id): line.action for line in view.lines}
    offices = await tenancy.visible_offices(actor)
    ticked = {(o.id, m.id) for o in offices for m in catalog.orderable()
              if (m.id in active.get(o.id, [])) != ((o.id, m.id) in pending)}
    return {"catalog": catalog, "modules": catalog.orderable(), "offices": offices, "active": active,
            "pending": pending, "ticked": ticked, "cart": view, "eur": format_eur}


@get("/modules")
async def modules_page(request: Request[Any, Any, Any], actor: CurrentActor) -> Template:
    return await render(request, actor, "modules/index.html", **await _grid(request, actor))


@get("/modules/manage")
async def manage_page(request: Request[Any, Any, Any], actor: CurrentActor) -> Template:
    return await render(request, actor, "modules/manage.html", **await _grid(request, actor))


@post("/modules/manage")
async def manage_submit(request: Request[Any, Any, Any], actor: CurrentActor, data: Form) -> Redirect:
    """No-JS path: the whole table is posted; each cell that differs from what was shown becomes a line."""
    grid = await _grid(request, actor)
    wanted = set(_values(data, "cell"))
    for office in grid["offices"]:
        for module in grid["modules"]:
            key = (office.id, module.id)
            if (f"{office.id}:{module.id}" in wanted) != (key in grid["ticked"]):
                action = "activate" if f"{office.id}:{module.id}" in wanted else "deactivate"
                await cart.add_line(actor, grid["catalog"], office.id, module.id, action)
    return Redirect("/config/modules/cart")


@post("/modules/toggle")
async def toggle(request: Request[Any, Any, Any], actor: CurrentActor, data: Form) -> Template:
    """JS path: one ticked/unticked cell; answers the cart fragment shown in the "Mon panier" dialog."""
    action = "activate" if data.get("checked") == "1" else "deactivate"
    await cart.add_line(actor, catalog_of(request), data.get("office_id"), str(data.get("module", "")), action)
    return await render(request, actor, "modules/_cart_fragment.html", **await _grid(request, actor))


@get("/modules/cart")
async def cart_page(request: Request[Any, Any, Any], actor: CurrentActor,
                    fragment: FromQuery[bool] = False) -> Template:
    template = "modules/_cart_fragment.html" if fragment else "modules/cart.html"
    return await render(request, actor, template, **await _grid(request, actor))


@post("/modules/cart/lines/{line_id:str}/delete")
async def remove_line(request: Request[Any, Any, Any], actor: CurrentActor, line_id: FromPath[str]) -> Redirect:
    await cart.remove_line(actor, line_id)
    flash(request, "La ligne a été retirée du panier.", category="success")
    return Redirect("/config/modules/cart")


@get("/modules/checkout")
async def checkout_page(request: Request[Any, Any, Any], actor: CurrentActor) -> Template | Redirect:
    grid = await _grid(request, actor)
    if not grid["cart"].lines:
        flash(request, "Votre panier est vide.", category="warning")
        return Redirect("/config/modules/manage")
    return await render(request, actor, "modules/checkout.html", **grid)


@post("/modules/checkout")
async def checkout_submit(request: Request[Any, Any, Any], actor: CurrentActor) -> Redirect:
    order, changes = await checkout(actor, catalog_of(request), request.app.state.settings.base_url)
    await after_checkout(request.app.state.plugins, actor, order, changes)
    flash(request, f"Commande n° {order.number} enregistrée : les modules sont à jour.", category="success")
    return Redirect(f"/config/orders/{order.id}")


@get("/orders")
async def orders_page(request: Request[Any, Any, Any], actor: CurrentActor) -> Template:
    return await render(request, actor, "modules/orders.html", orders=await orders.list_orders(actor.organisation_id),
                        eur=format_eur, OrderStatus=OrderStatus, cart_count=await cart.line_count(actor))


@get("/orders/{order_id:str}")
async def order_page(request: Request[Any, Any, Any], actor: CurrentActor, order_id: FromPath[str]) -> Template:
    order, lines = await orders.get_order(actor.organisation_id, order_id)
    offices = {o.id: o.name for o in await tenancy.visible_offices(actor)}
    return await render(request, actor, "modules/order.html", order=order, lines=lines, offices=offices,
                        eur=format_eur, OrderStatus=OrderStatus, cart_count=await cart.line_count(actor))


# What a module brings, in the owner's words (the hook names stay in « Détails techniques »).
HOOK_LABELS = {
    "register_routes": "pages du bureau", "register_api_routes": "API", "register_public_routes": "pages publiques",
    "register_organisation_public_routes": "pages publiques", "register_permissions": "droits d'accès",
    "register_menu_items": "menu", "register_dashboard_widgets": "carte du tableau de bord",
    "register_calendar_sources": "agendas", "register_jobs": "tâches automatiques",
    "register_cli_commands": "commandes d'administration", "on_module_activated": "mise en service",
    "on_module_deactivated": "mise en service", "on_event": "suivi des rendez-vous et commandes",
    "load_demo": "données de démonstration", "register_exam_providers": "fournisseurs d'examens",
}


def features(hooks: list[str]) -> str:
    """« Pages du bureau, API, menu… » for a module's hooks, in a stable order."""
    labels: list[str] = []
    for hook, label in HOOK_LABELS.items():
        if hook in hooks and label not in labels:
            labels.append(label)
    text = ", ".join(labels)
    return text[:1].upper() + text[1:]


@get("/modules/installed")
async def installed_page(request: Request[Any, Any, Any], actor: CurrentActor) -> Template:
    from core.plugins import health
    from core.plugins.health_routes import sentences

    manager = request.app.state.plugins
    offices = {o.id: o.name for o in await actor.scope.objects(Office)}
    problems = [(offices.get(office_id, ""), sentences(manager, found))
                for office_id, found in (await health.problems_by_office(actor.organisation_id)).items()]
    return await render(request, actor, "modules/installed.html", records=manager.records,
                        purgeable=purge.purgeable(manager), problems=problems,
                        cart_count=await cart.line_count(actor), features=features)


async def _purge_form(request: Request[Any, Any, Any], actor: Actor, module: str, error: str = "",
                      chosen: str = "") -> Template:
    title = purge.purgeable(request.app.state.plugins).get(module)
    if title is None:
        raise NotFound("Ce module n'existe pas ou ne sait pas supprimer ses données.")
    active = await activation.active_by_office(actor.organisation_id)
    offices = [o for o in await tenancy.visible_offices(actor) if module not in active.get(o.id, set())]
    return await render(request, actor, "modules/purge.html", module=module, module_title=title,
                        inactive_offices=offices, error=error, chosen=chosen, cart_count=await cart.line_count(actor),
                        status_code=422 if error else 200)


@get("/modules/{module:str}/purge")
async def purge_page(request: Request[Any, Any, Any], actor: CurrentActor, module: FromPath[str]) -> Template:
    return await _purge_form(request, actor, module)


@post("/modules/{module:str}/purge")
async def purge_submit(request: Request[Any, Any, Any], actor: CurrentActor, module: FromPath[str],
                       data: Form) -> Template | Redirect:
    chosen = str(data.get("office_id") or "")
    if not chosen.isdigit():
        return await _purge_form(request, actor, module, "Choisissez le bureau dont les données seront supprimées.")
    try:
        office = await purge.purge(actor, request.app.state.plugins, int(chosen), module,
                                   str(data.get("confirmation") or ""))
    except (ValidationFailed, Conflict) as error:
        return await _purge_form(request, actor, module, error.message, chosen)
    flash(request, f"Les données du module ont été supprimées pour le bureau « {office.name} ».",
          category="success")
    return Redirect("/config/modules/installed")


pages = Router("/config", route_handlers=[
    modules_page, manage_page, manage_submit, toggle, cart_page, remove_line, checkout_page, checkout_submit,
    orders_page, order_page, installed_page, purge_page, purge_submit,
], guards=[require_role(Role.owner)], include_in_schema=False)
