"""« Mon compte » of the partner (seed 002): « Documentation » (four PDFs the module generates) and
« Contact » (a form to the Le Robert support, with the office's history). Pages and API; thin."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath, JSONBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Response, Template

from core.plugin_api import CurrentActor, ValidationFailed
from plugins.certification_robert.routes.forms import Form
from plugins.certification_robert.runtime import ctx, platform
from plugins.certification_robert.services import contact, documentation

R = Request[Any, Any, Any]
CANDIDATES = {"permission": "certification_robert.candidates"}


@get("/documentation", opt=CANDIDATES)
async def documentation_page(request: R, actor: CurrentActor) -> Template:
    c = ctx(request, actor)
    return await platform().render(request, actor, "certification_robert/documentation.html",
                                   guides=documentation.GUIDES, base=platform().office_url(c.office_id, ""))


@get("/documentation/{slug:str}", opt=CANDIDATES)
async def guide_pdf(request: R, actor: CurrentActor, slug: FromPath[str]) -> Response[bytes]:
    c = ctx(request, actor)
    guide, pdf = await documentation.render(slug, c.organisation_id)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{guide.filename}"'})


async def _contact_page(request: R, actor: Any, *, form: dict[str, str] | None = None,
                        errors: dict[str, str] | None = None, status_code: int = 200) -> Template:
    c = ctx(request, actor)
    return await platform().render(request, actor, "certification_robert/contact.html", status_code=status_code,
                                   form=form or {}, errors=errors or {}, history=await contact.history(c),
                                   base=platform().office_url(c.office_id, ""))


@get("/contact", opt=CANDIDATES)
async def contact_page(request: R, actor: CurrentActor) -> Template:
    return await _contact_page(request, actor)


async def _support(request: R, actor: Any) -> str:
    c = ctx(request, actor)
    return str((await platform().office_settings(c.organisation_id, c.office_id)).support_email)


@post("/contact", opt=CANDIDATES)
async def send_contact(request: R, actor: CurrentActor, data: Form) -> Template | Redirect:
    form = {k: str(data.get(k) or "") for k in ("objet", "message")}
    try:
        await contact.send(ctx(request, actor), form, await _support(request, actor))
    except ValidationFailed as error:
        return await _contact_page(request, actor, form=form, status_code=422,
                                   errors={e.field: e.message for e in error.errors})
    flash(request, "Votre demande a été envoyée au support de la Certification Le Robert.", category="success")
    return Redirect(platform().office_url(ctx(request, actor).office_id, "/contact"))


@get("/documentation", opt=CANDIDATES, name="robert_documentation_api")
async def documentation_api(request: R, actor: CurrentActor) -> list[dict[str, str]]:
    c = ctx(request, actor)
    return [{"slug": g.slug, "titre": g.title, "description": g.summary,
             "url": platform().office_url(c.office_id, f"/documentation/{g.slug}")} for g in documentation.GUIDES]


@get("/contact", opt=CANDIDATES, name="robert_contact_history_api")
async def contact_history_api(request: R, actor: CurrentActor) -> list[dict[str, Any]]:
    return await contact.history(ctx(request, actor))


@post("/contact", opt=CANDIDATES, name="robert_contact_api")
async def contact_api(request: R, actor: CurrentActor, data: JSONBody[dict[str, Any]]) -> dict[str, int]:
    return {"id": await contact.send(ctx(request, actor), data, await _support(request, actor))}


PAGES = [documentation_page, guide_pdf, contact_page, send_contact]
API = [documentation_api, contact_history_api, contact_api]
