"""« Groupes »: the groups (name, category), create / edit / delete (after a confirmation page), a group's
candidates and « Associer des candidats » with a search (thin: rules in services.groups)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template

from core.plugin_api import CurrentActor, PathId, SocleError, ValidationFailed
from plugins.certification_robert.routes.forms import Form
from plugins.certification_robert.runtime import ctx, platform
from plugins.certification_robert.services import candidates, groups

R = Request[Any, Any, Any]
CANDIDATES = {"permission": "certification_robert.candidates"}


def _one(data: dict[str, Any], name: str) -> str:
    raw = data.get(name, "")
    return str(raw[-1] if isinstance(raw, list) and raw else raw or "")


async def _render(request: R, actor: Any, template: str, status_code: int = 200, **context: Any) -> Template:
    base = platform().office_url(platform().office(request).id, "")
    return await platform().render(request, actor, f"certification_robert/{template}", base=base,
                                   categories=groups.CATEGORIES, status_code=status_code, **context)


@get("/groupes", opt=CANDIDATES)
async def group_list(request: R, actor: CurrentActor) -> Template:
    return await _render(request, actor, "groups.html", groups=await groups.list_groups(ctx(request, actor)),
                         flash=request.query_params.get("fait", ""))


async def _form(request: R, actor: Any, values: dict[str, Any], group: Any = None,
                error: SocleError | None = None) -> Template:
    errors = {e.field: e.message for e in error.errors} if isinstance(error, ValidationFailed) else {}
    return await _render(request, actor, "group_form.html", values=values, group=group, errors=errors,
                         message=error.message if error else "", status_code=422 if error else 200)


@get("/groupes/nouveau", opt=CANDIDATES)
async def new_group(request: R, actor: CurrentActor) -> Template:
    return await _form(request, actor, {})


@post("/groupes/nouveau", opt=CANDIDATES)
async def create_group(request: R, actor: CurrentActor, data: Form) -> Template | Redirect:
    c = ctx(request, actor)
    values = {"name": _one(data, "name"), "category": _one(data, "category")}
    try:
        row = await groups.save(c, values)
    except SocleError as error:
        return await _form(request, actor, values, None, error)
    return Redirect(platform().office_url(c.office_id, f"/groupes/{row.id}"))


@get("/groupes/{item_id:str}", opt=CANDIDATES)
async def show_group(request: R, actor: CurrentActor, item_id: PathId) -> Template:
    c = ctx(request, actor)
    group = await groups.get(c, item_id)
    members = await candidates.list_candidates(c, group_id=group.id, limit=1000)
    return await _render(request, actor, "group.html", group=group, members=members,
                         flash=request.query_params.get("ajoutes", ""))


@get("/groupes/{item_id:str}/modifier", opt=CANDIDATES)
async def edit_group(request: R, actor: CurrentActor, item_id: PathId) -> Template:
    group = await groups.get(ctx(request, actor), item_id)
    return await _form(request, actor, {"name": group.name, "category": group.category}, group)


@post("/groupes/{item_id:str}/modifier", opt=CANDIDATES)
async def update_group(request: R, actor: CurrentActor, item_id: PathId, data: Form) -> Template | Redirect:
    c = ctx(request, actor)
    group = await groups.get(c, item_id)
    values = {"name": _one(data, "name"), "category": _one(data, "category")}
    try:
        await groups.save(c, values, group.id)
    except SocleError as error:
        return await _form(request, actor, values, group, error)
    return Redirect(platform().office_url(c.office_id, f"/groupes/{group.id}"))


@get("/groupes/{item_id:str}/supprimer", opt=CANDIDATES)
async def confirm_delete(request: R, actor: CurrentActor, item_id: PathId) -> Template:
    c = ctx(request, actor)
    group = await groups.get(c, item_id)
    count = len(await candidates.list_candidates(c, group_id=group.id, limit=100_000))
    return await _render(request, actor, "group_delete.html", group=group, count=count)


@post("/groupes/{item_id:str}/supprimer", opt=CANDIDATES)
async def delete_group(request: R, actor: CurrentActor, item_id: PathId) -> Redirect:
    c = ctx(request, actor)
    await groups.delete(c, item_id)
    return Redirect(platform().office_url(c.office_id, "/groupes?fait=supprime"))


@get("/groupes/{item_id:str}/associer", opt=CANDIDATES)
async def associate_page(request: R, actor: CurrentActor, item_id: PathId) -> Template:
    c = ctx(request, actor)
    group = await groups.get(c, item_id)
    q = request.query_params
    found = await candidates.list_candidates(c, (q.get("q") or "")[:200], q.get("status") or "")
    present = {m["id"] for m in await candidates.list_candidates(c, group_id=group.id, limit=100_000)}
    return await _render(request, actor, "group_associate.html", group=group, found=found, present=present,
                         filters=q, statuses=candidates.STATUSES, error="")


@post("/groupes/{item_id:str}/associer", opt=CANDIDATES)
async def associate(request: R, actor: CurrentActor, item_id: PathId, data: Form) -> Template | Redirect:
    c = ctx(request, actor)
    group = await groups.get(c, item_id)
    raw = data.get("candidate_ids", [])
    ids = [int(i) for i in (raw if isinstance(raw, list) else [raw]) if str(i).isdigit() and len(str(i)) < 12]
    if not ids:
        found = await candidates.list_candidates(c)
        present = {m["id"] for m in await candidates.list_candidates(c, group_id=group.id, limit=100_000)}
        return await _render(request, actor, "group_associate.html", group=group, found=found, present=present,
                             filters={}, statuses=candidates.STATUSES,
                             error="Cochez au moins un candidat à associer.", status_code=422)
    added = await groups.associate(c, group.id, ids)
    return Redirect(platform().office_url(c.office_id, f"/groupes/{group.id}?ajoutes={added}"))


@post("/groupes/{item_id:str}/retirer/{candidate_id:str}", opt=CANDIDATES)
async def dissociate(request: R, actor: CurrentActor, item_id: PathId, candidate_id: PathId) -> Redirect:
    c = ctx(request, actor)
    await groups.dissociate(c, item_id, candidate_id)
    return Redirect(platform().office_url(c.office_id, f"/groupes/{item_id}"))


ROUTES = [group_list, new_group, create_group, show_group, edit_group, update_group, confirm_delete, delete_group,
          associate_page, associate, dissociate]
