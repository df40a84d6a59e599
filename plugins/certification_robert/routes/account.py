"""« Ma certification Le Robert » under /mon-espace/m/certification_robert/ (a signed-in candidate). Thin:
rules in services.space."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.plugins.flash import flash
from litestar.response import Redirect, Response, Template

from core.plugin_api import PathId, ValidationFailed, invitation
from plugins.certification_robert.routes.forms import Form, values_of
from plugins.certification_robert.runtime import platform
from plugins.certification_robert.services import space, steps

R = Request[Any, Any, Any]
FIELDS = [{"name": n, "label": steps.LABELS[n], "kind": "tel" if n == "telephone" else "text",
           "autocomplete": a} for n, a in (("telephone", "tel"), ("adresse", "street-address"),
                                           ("code_postal", "postal-code"), ("commune", "address-level2"),
                                           ("pays", "country-name"))]


async def _page(request: R, *, form_for: int | None = None, form: dict[str, Any] | None = None,
                errors: dict[str, str] | None = None, status_code: int = 200) -> Template:
    account = platform().account(request)
    return await platform().render_account(
        request, "certification_robert/account/certification.html", status_code=status_code,
        files=await space.files(account), fields=FIELDS, form_for=form_for, form=form or {}, errors=errors or {},
        base=platform().account_url(""), verified=account.email_verified)


@get("/certification")
async def certification_page(request: R) -> Template:
    return await _page(request)


@post("/certification/{item_id:str}/coordonnees")
async def save_coordonnees(request: R, item_id: PathId, data: Form) -> Template | Redirect:
    account = platform().account(request)
    await space.candidate(account, item_id)
    values = values_of(data, "coordonnees")
    try:
        await space.save_coordonnees(account, item_id, values)
    except ValidationFailed as error:
        return await _page(request, form_for=item_id, form=values, status_code=422,
                           errors={e.field: e.message for e in error.errors})
    flash(request, "Coordonnées enregistrées.", category="success")
    return Redirect(platform().account_url(f"/certification#dossier-{item_id}"), status_code=303)


@get("/certification/{item_id:str}/convocation.ics")
async def convocation_ics(request: R, item_id: PathId) -> Response[bytes]:
    event = await space.convocation_event(platform().account(request), item_id)
    return Response(invitation(event), media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="convocation-le-robert.ics"'})


ROUTES = [certification_page, save_coordonnees, convocation_ics]
