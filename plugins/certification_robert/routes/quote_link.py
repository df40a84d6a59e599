"""The sales team's decision page, reached from the quote request's signed, one-use link (no login)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Template

from core.plugin_api import SocleError
from plugins.certification_robert.routes.forms import Form
from plugins.certification_robert.runtime import platform
from plugins.certification_robert.services import orders

R = Request[Any, Any, Any]


def _page(context: dict[str, Any], status_code: int = 200) -> Template:
    return Template("certification_robert/public/decision.html", status_code=status_code, context=context)


@get("/devis/{token:str}")
async def decision_page(request: R, token: FromPath[str]) -> Template:
    office = platform().office(request)
    try:
        order = await orders.by_link(office, platform().settings.secret_key, token)
    except SocleError as error:
        return _page({"problem": error.message}, error.status_code)
    used = order["status"] != "devis_demande"
    return _page({"order": orders.out(order), "used": used,
                  "problem": orders.LinkUsed.default_message if used else ""}, 409 if used else 200)


@post("/devis/{token:str}")
async def decide(request: R, token: FromPath[str], data: Form) -> Template:
    office = platform().office(request)
    choice = data.get("decision")
    if choice not in ("accepter", "refuser"):
        return _page({"problem": "Choisissez « Accepter » ou « Refuser »."}, 422)
    try:
        order = await orders.decide(office, platform().settings.secret_key, token, choice == "accepter")
    except SocleError as error:
        return _page({"problem": error.message, "used": isinstance(error, orders.LinkUsed)}, error.status_code)
    return _page({"order": order, "done": True})


ROUTES = [decision_page, decide]
