"""« Souscrire à l'API » (seed 003, mode API): the centre's member gets a core API token for this module, shown
once, with the documentation of the sessions endpoint. Thin: tokens are the core's (Platform, API 1.3).
The path is /souscription-api: the CSRF middleware skips every path containing "/api"."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template

from core.plugin_api import CurrentActor, PathId, data, write_transaction
from plugins.formation_cqc import SESSIONS
from plugins.formation_cqc.runtime import platform

GATE = {"permission": SESSIONS}
PREFIX = "formation_cqc"
R = Request[Any, Any, Any]


async def _page(request: R, actor: Any, token: str = "", status_code: int = 200) -> Template:
    office = platform().office(request)
    return await platform().render(
        request, actor, "formation_cqc/subscription.html", status_code=status_code, office=office, token=token,
        tokens=await platform().api_tokens(actor, name_prefix=PREFIX), base=platform().office_url(office.id, ""),
        endpoint=platform().api_url(office.id, "/sessions"), contract=await platform().service_contract(office.id))


@get("/souscription-api", opt=GATE)
async def subscription_page(request: R, actor: CurrentActor) -> Template:
    return await _page(request, actor)


@post("/souscription-api", opt=GATE)
async def subscribe(request: R, actor: CurrentActor) -> Template:
    office = platform().office(request)
    async with write_transaction():  # the token and its audit entry (« Journal d'audit ») together
        token = await platform().create_api_token(actor, f"{PREFIX}: {office.name}"[:100])
        await data.audit(actor, "formation_cqc.api_token.created", organisation_id=actor.organisation_id,
                         target=f"office:{office.id}", summary=f"Jeton d'API créé (Souscrire à l'API), {office.name}")
    return await _page(request, actor, token=token, status_code=201)


@post("/souscription-api/{token_id:int}/revoquer", opt=GATE)
async def revoke(request: R, actor: CurrentActor, token_id: PathId) -> Redirect:
    office = platform().office(request)
    async with write_transaction():
        await platform().revoke_api_token(actor, token_id)  # NotFound for anyone else's token
        await data.audit(actor, "formation_cqc.api_token.revoked", organisation_id=actor.organisation_id,
                         target=f"api_token:{token_id}", summary=f"Jeton d'API révoqué, {office.name}")
    return Redirect(platform().office_url(office.id, "/souscription-api"))


ROUTES = [subscription_page, subscribe, revoke]
