"""« Ma certification Le Robert » under /mon-espace/m/certification_robert/ (a signed-in candidate). Thin:
rules in services.space."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.plugins.flash import flash
from litestar.response import Redirect, Response, Template

from core.plugin_api import NotFound, PathId, ValidationFailed, invitation
from plugins.certification_robert.routes.forms import YES_NO, Form, values_of
from plugins.certification_robert.runtime import platform
from plugins.certification_robert.services import space, steps

R = Request[Any, Any, Any]
FIELDS = [{"name": n, "label": steps.LABELS[n], "kind": "tel" if n == "telephone" else "text",
           "autocomplete": a} for n, a in (("telephone", "tel"), ("adresse", "street-address"),
                                           ("code_postal", "postal-code"), ("commune", "address-level2"),
                                           ("pays", "country-name"))]
DIVERS = [{"name": n, "label": steps.LABELS[n]} for n in ("niveau_etudes", "csp")]


async def _page(request: R, *, form_for: int | None = None, form_step: str = "", form: dict[str, Any] | None = None,
                errors: dict[str, str] | None = None, status_code: int = 200) -> Template:
    account = platform().account(request)
    return await platform().render_account(
        request, "certification_robert/account/certification.html", status_code=status_code,
        files=await space.files(account), fields=FIELDS, form_for=form_for, form_step=form_step, form=form or {},
        errors=errors or {}, divers=DIVERS, yes_no=YES_NO,
        base=platform().account_url(""), verified=account.email_verified)


@get("/certification")
async def certification_page(request: R) -> Template:
    return await _page(request)


SAVED = {"coordonnees": "Coordonnées enregistrées.", "divers": "Informations complémentaires enregistrées."}


@post("/certification/{item_id:str}/{step:str}")
async def save_step(request: R, item_id: PathId, step: FromPath[str], data: Form) -> Template | Redirect:
    account = platform().account(request)
    await space.candidate(account, item_id)
    if step not in SAVED:
        raise NotFound("Cette étape n'existe pas.")
    values = values_of(data, step)
    try:
        await space.save_step(account, item_id, step, values)
    except ValidationFailed as error:
        return await _page(request, form_for=item_id, form_step=step, form=values, status_code=422,
                           errors={e.field: e.message for e in error.errors})
    flash(request, SAVED[step], category="success")
    return Redirect(platform().account_url(f"/certification#dossier-{item_id}"), status_code=303)


@get("/certification/{item_id:str}/convocation.ics")
async def convocation_ics(request: R, item_id: PathId) -> Response[bytes]:
    event = await space.convocation_event(platform().account(request), item_id)
    return Response(invitation(event), media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="convocation-le-robert.ics"'})


ROUTES = [certification_page, convocation_ics, save_step]
