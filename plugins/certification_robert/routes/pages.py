"""Partner pages: the candidates list with filters and the five-step creation (thin: rules in services)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from core.plugin_api import CurrentActor, PathId, Role, SocleError
from plugins.certification_robert.routes.forms import FIELDS, TITLES, Form, values_of
from plugins.certification_robert.runtime import ctx, platform
from plugins.certification_robert.services import candidates, dashboard, groups, steps

R = Request[Any, Any, Any]
CANDIDATES = {"permission": "certification_robert.candidates"}


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@get("/", opt=CANDIDATES)
async def home(request: R) -> Redirect:
    return Redirect(platform().office_url(platform().office(request).id, "/accueil"))


@get("/accueil", opt=CANDIDATES)
async def dashboard_page(request: R, actor: CurrentActor) -> Template:
    c = ctx(request, actor)
    return await platform().render(request, actor, "certification_robert/home.html",
                                   summary=await dashboard.summary(c), may_order=actor.role.at_least(Role.admin),
                                   base=platform().office_url(c.office_id, ""))


@get("/candidats", opt=CANDIDATES)
async def candidate_list(request: R, actor: CurrentActor) -> Template:
    c = ctx(request, actor)
    q = request.query_params
    rows = await candidates.list_candidates(c, (q.get("q") or "")[:200], q.get("status") or "", _int(q.get("group")))
    return await platform().render(
        request, actor, "certification_robert/candidates.html", rows=rows, filters=q,
        statuses=candidates.STATUSES, groups=await groups.list_groups(c), base=platform().office_url(c.office_id, ""))


async def _step_page(request: R, actor: Any, step: str, values: dict[str, Any], row: Any = None,
                     error: SocleError | None = None) -> Template:
    c = ctx(request, actor)
    done = candidates.out(row)["etapes"] if row else []
    return await platform().render(
        request, actor, "certification_robert/candidate_step.html", step=step, steps=TITLES,
        required_steps=steps.REQUIRED_STEPS, fields=FIELDS[step], values=values, candidate=row, done=done,
        errors={e.field: e.message for e in error.errors} if error else {},
        message=error.message if error else "", base=platform().office_url(c.office_id, ""),
        status_code=422 if error else 200)


@get("/candidats/nouveau", opt=CANDIDATES)
async def new_candidate(request: R, actor: CurrentActor) -> Template:
    return await _step_page(request, actor, "identite", {})


@post("/candidats/nouveau", opt=CANDIDATES)
async def create_candidate(request: R, actor: CurrentActor, data: Form) -> Template | Redirect:
    values = values_of(data, "identite")
    try:
        row = await candidates.create(ctx(request, actor), values)
    except SocleError as error:
        return await _step_page(request, actor, "identite", values, None, error)
    return Redirect(platform().office_url(row.office, f"/candidats/{row.id}/mot_de_passe"))


def _known(step: str) -> str:
    if step not in TITLES:
        from core.plugin_api import NotFound

        raise NotFound("Cette étape n'existe pas.")
    return step


@get("/candidats/{item_id:str}/{step:str}", opt=CANDIDATES)
async def show_step(request: R, actor: CurrentActor, item_id: PathId, step: FromPath[str]) -> Template:
    row = await candidates.get(ctx(request, actor), item_id)
    saved = candidates.out(row)["donnees"].get(_known(step), {})
    return await _step_page(request, actor, step, saved, row)


@post("/candidats/{item_id:str}/{step:str}", opt=CANDIDATES)
async def save_step(request: R, actor: CurrentActor, item_id: PathId, step: FromPath[str],
                    data: Form) -> Template | Redirect:
    c = ctx(request, actor)
    row = await candidates.get(c, item_id)
    values = values_of(data, _known(step))
    try:
        row = await candidates.save_step(c, item_id, step, values)
    except SocleError as error:
        values.pop("mot_de_passe", None)
        values.pop("confirmation", None)
        return await _step_page(request, actor, step, values, row, error)
    if step == "mot_de_passe" and candidates.out(row)["donnees"]["mot_de_passe"].get("compte") == "existant":
        from litestar.plugins.flash import flash

        flash(request, "Ce courriel a déjà un espace « Mon espace » : le mot de passe choisi n'a pas été appliqué, "
                       "le candidat se connecte avec le sien.", category="warning")
    order = list(TITLES)
    following = order[order.index(step) + 1] if step != order[-1] else None
    target = f"/candidats/{row.id}/{following}" if following else "/candidats"
    return Redirect(platform().office_url(c.office_id, target))


ROUTES = [home, dashboard_page, candidate_list, new_candidate, create_candidate, show_step, save_step]
