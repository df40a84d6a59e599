"""« Mes commandes »: the orders and the new order's cart. The − / + buttons and « Recalculer » post the form
and the server recomputes the cart (no script needed); « Commander » places the order (rules in services)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Response, Template

from core.plugin_api import CurrentActor, SocleError, ValidationFailed
from plugins.certification_robert.routes.forms import Form
from plugins.certification_robert.runtime import ctx, platform
from plugins.certification_robert.services import catalogue, orders

R = Request[Any, Any, Any]
ORDERS = {"permission": "certification_robert.orders"}
REFERENCES = [str(item["reference"]) for item in catalogue.CATALOGUE]
CART_JS = (Path(__file__).resolve().parent.parent / "static" / "cart.js").read_bytes()


@get("/commandes/cart.js", opt=ORDERS)
async def cart_script(request: R) -> Response[bytes]:
    """The optional script of the order page (a file served by the module: the CSP refuses inline scripts)."""
    return Response(CART_JS, media_type="text/javascript; charset=utf-8",
                    headers={"Cache-Control": "private, max-age=3600"})


@get("/commandes", opt=ORDERS)
async def order_list(request: R, actor: CurrentActor) -> Template:
    c = ctx(request, actor)
    sent = request.query_params.get("envoyee")
    return await platform().render(request, actor, "certification_robert/orders.html",
                                   orders=await orders.list_orders(c), sent=sent,
                                   base=platform().office_url(c.office_id, ""))


def _quantities(data: dict[str, Any]) -> dict[str, Any]:
    """The posted quantities (a text that is not a whole number is kept, so the cart names it), then the
    − / + button that was pressed."""
    values: dict[str, Any] = {}
    for ref in REFERENCES:
        raw = data.get(ref, "0")
        raw = (raw[-1] if isinstance(raw, list) and raw else raw or "0").strip()
        values[ref] = int(raw) if raw.isdigit() and len(raw) < 7 else raw
    action = str(data.get("action") or "")
    sign, _, ref = action.partition(":")
    if ref in values and isinstance(values[ref], int):
        step = {"moins": -1, "plus": 1}.get(sign, 0)
        values[ref] = min(max(values[ref] + step, 0), catalogue.MAX_QUANTITY)
    return values


async def _cart_page(request: R, actor: Any, values: dict[str, Any], error: SocleError | None = None) -> Template:
    c = ctx(request, actor)
    try:
        lines, total = catalogue.compute({k: v for k, v in values.items() if isinstance(v, int)})
    except ValidationFailed:  # cannot happen with whole numbers in range; keep the page up
        lines, total = catalogue.compute({})
    errors = {e.field: e.message for e in error.errors} if isinstance(error, ValidationFailed) else {}
    return await platform().render(
        request, actor, "certification_robert/order_new.html", lines=lines, total=total, values=values,
        errors=errors, message=error.message if error else "", base=platform().office_url(c.office_id, ""),
        fmt=catalogue.format_eur, status_code=422 if error else 200)


@get("/commandes/nouvelle", opt=ORDERS)
async def new_order(request: R, actor: CurrentActor) -> Template:
    return await _cart_page(request, actor, dict.fromkeys(REFERENCES, 0))


@post("/commandes/nouvelle", opt=ORDERS)
async def post_order(request: R, actor: CurrentActor, data: Form) -> Template | Redirect:
    values = _quantities(data)
    try:
        catalogue.compute(values)
    except ValidationFailed as error:
        return await _cart_page(request, actor, values, error)
    if data.get("action") != "commander":
        return await _cart_page(request, actor, values)
    c = ctx(request, actor)
    settings = await platform().office_settings(c.organisation_id, c.office_id)
    try:
        order = await orders.place(c, values, secret=platform().settings.secret_key,
                                   base_url=platform().settings.base_url, sales_email=settings.sales_email,
                                   link_path=platform().public_url(c.office_id, "/devis/{token}"))
    except SocleError as error:
        return await _cart_page(request, actor, values, error)
    return Redirect(platform().office_url(c.office_id, f"/commandes?envoyee={order['id']}"))


ROUTES = [order_list, new_order, post_order, cart_script]
