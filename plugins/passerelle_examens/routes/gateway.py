"""Pages and API of the gateways: an élève's RdvPermis mandate (ask, see, revoke) and « Places attribuées »
(Printel capture). Thin: the rules are in services/mandates.py and services/places.py."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.response import Template

from core.plugin_api import CurrentActor, PathId, SocleError, write_transaction
from plugins.passerelle_examens.providers.base import ExamProviderError
from plugins.passerelle_examens.routes.api import ProviderUnavailable
from plugins.passerelle_examens.runtime import ctx, platform
from plugins.passerelle_examens.services import mandates, places, providers, students
from plugins.passerelle_examens.services.common import Ctx

R = Request[Any, Any, Any]
BOOK = {"permission": "passerelle_examens.book"}


# -- pages -----------------------------------------------------------------------------------------------

async def _mandate_page(request: R, actor: Any, c: Ctx, student_id: int, *, message: str = "", error: str = "",
                        status: int = 200, sync: bool = True) -> Template:
    student = await students.get(c, student_id)
    row = await mandates.current(c, student_id)
    if sync and row is not None and row.state in mandates.OPEN:
        try:
            row = await mandates.sync(c, student_id)
        except ExamProviderError as failure:
            error = error or f"État non actualisé : {failure.message}"
    return await platform().render(
        request, actor, "passerelle_examens/mandate.html", student=students.out(student),
        mandate=mandates.out(row), base=platform().office_url(c.office_id, ""), message=message, error=error,
        status_code=status)


@get("/eleves/{item_id:str}/mandat", opt=BOOK)
async def mandate_page(request: R, actor: CurrentActor, item_id: PathId) -> Template:
    return await _mandate_page(request, actor, ctx(request, actor), item_id)


@post("/eleves/{item_id:str}/mandat/demander", opt=BOOK)
async def ask_mandate(request: R, actor: CurrentActor, item_id: PathId) -> Template:
    c = ctx(request, actor)
    try:
        _, asked = await mandates.request(c, item_id)
    except ExamProviderError as failure:
        return await _mandate_page(request, actor, c, item_id, error=failure.message, status=503, sync=False)
    message = ("Mandat demandé : l'élève reçoit le lien pour l'accepter ou le refuser." if asked
               else "Un mandat est déjà en cours pour cet élève.")
    return await _mandate_page(request, actor, c, item_id, message=message, sync=False)


@post("/eleves/{item_id:str}/mandat/revoquer", opt=BOOK)
async def revoke_mandate(request: R, actor: CurrentActor, item_id: PathId) -> Template:
    c = ctx(request, actor)
    try:
        await mandates.revoke(c, item_id)
    except ExamProviderError as failure:
        return await _mandate_page(request, actor, c, item_id, error=failure.message, status=503, sync=False)
    except SocleError as refusal:
        if refusal.status_code == 404:
            raise
        return await _mandate_page(request, actor, c, item_id, error=refusal.message, status=409, sync=False)
    return await _mandate_page(request, actor, c, item_id, message="Mandat révoqué.", sync=False)


async def _places_page(request: R, actor: Any, c: Ctx, *, message: str = "", error: str = "",
                       status: int = 200) -> Template:
    return await platform().render(
        request, actor, "passerelle_examens/places.html", rows=await places.listing(c), message=message,
        error=error, base=platform().office_url(c.office_id, ""), status_code=status)


@get("/places", opt=BOOK)
async def places_page(request: R, actor: CurrentActor) -> Template:
    return await _places_page(request, actor, ctx(request, actor))


@post("/places/capturer", opt=BOOK)
async def capture_places(request: R, actor: CurrentActor) -> Template:
    c = ctx(request, actor)
    try:
        async with write_transaction():
            result = await places.capture(c)
    except ExamProviderError as failure:
        return await _places_page(request, actor, c, error=failure.message, status=503)
    return await _places_page(request, actor, c, message=places.summary(result))


@get("/fournisseurs", opt={"permission": "passerelle_examens.search"})
async def providers_page(request: R, actor: CurrentActor) -> Template:
    c = ctx(request, actor)
    return await platform().render(request, actor, "passerelle_examens/providers.html",
                                   providers=await providers.listing(c), base=platform().office_url(c.office_id, ""))


PAGES = [providers_page, mandate_page, ask_mandate, revoke_mandate, places_page, capture_places]


# -- API -------------------------------------------------------------------------------------------------

@get("/students/{item_id:str}/mandate", opt=BOOK)
async def api_mandate(request: R, actor: CurrentActor, item_id: PathId) -> dict[str, Any]:
    c = ctx(request, actor)
    try:
        return mandates.out(await mandates.sync(c, item_id))
    except ExamProviderError as failure:
        raise ProviderUnavailable(failure.message) from failure


@post("/students/{item_id:str}/mandate", opt=BOOK)
async def api_ask_mandate(request: R, actor: CurrentActor, item_id: PathId) -> dict[str, Any]:
    try:
        row, _ = await mandates.request(ctx(request, actor), item_id)
    except ExamProviderError as failure:
        raise ProviderUnavailable(failure.message) from failure
    return mandates.out(row)


@post("/students/{item_id:str}/mandate/revoke", opt=BOOK, status_code=200)
async def api_revoke_mandate(request: R, actor: CurrentActor, item_id: PathId) -> dict[str, Any]:
    try:
        return mandates.out(await mandates.revoke(ctx(request, actor), item_id))
    except ExamProviderError as failure:
        raise ProviderUnavailable(failure.message) from failure


@get("/places", opt=BOOK)
async def api_places(request: R, actor: CurrentActor) -> list[dict[str, Any]]:
    return await places.listing(ctx(request, actor))


@post("/places/capture", opt=BOOK, status_code=200)
async def api_capture(request: R, actor: CurrentActor) -> dict[str, Any]:
    c = ctx(request, actor)
    try:
        async with write_transaction():
            result = await places.capture(c)
    except ExamProviderError as failure:
        raise ProviderUnavailable(failure.message) from failure
    return {"nouvelles": result.created, "deja_enregistrees": result.known, "mises_a_jour": result.updated,
            "message": places.summary(result),
            "places": await places.listing(c)}


API = [api_mandate, api_ask_mandate, api_revoke_mandate, api_places, api_capture]
