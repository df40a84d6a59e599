"""« Certifications »: assign supervised (centre agréé) certifications on a planned date — each candidate gets
an activation code, printable per session — and plan La Poste sessions (address, date, time → convocations).
Thin: the rules are in services.stock and services.sheets."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from core.plugin_api import CurrentActor, NotFound, PathId, SocleError, ValidationFailed
from plugins.certification_robert.routes.forms import Form
from plugins.certification_robert.runtime import ctx, platform
from plugins.certification_robert.services import candidates, groups, sheets, stock

R = Request[Any, Any, Any]
CANDIDATES = {"permission": "certification_robert.candidates"}


def _one(data: dict[str, Any], name: str) -> str:
    raw = data.get(name, "")
    return str(raw[-1] if isinstance(raw, list) and raw else raw or "")


def _ids(data: dict[str, Any]) -> list[int]:
    raw = data.get("candidate_ids", [])
    return [int(i) for i in (raw if isinstance(raw, list) else [raw]) if str(i).isdigit() and len(str(i)) < 12]


async def _page(request: R, actor: Any, kind: str = "", values: dict[str, Any] | None = None,
                error: SocleError | None = None) -> Template:
    c = ctx(request, actor)
    q = request.query_params
    group = q.get("group") or ""
    group_id = int(group) if group.isdigit() and len(group) < 12 else None
    ready = await candidates.list_candidates(c, status="a_attribuer", group_id=group_id, limit=1000)
    errors = {e.field: e.message for e in error.errors} if isinstance(error, ValidationFailed) else {}
    return await platform().render(
        request, actor, "certification_robert/planning.html", stock=await stock.levels(c), kinds=stock.KINDS,
        ready=ready, sessions=await sheets.list_sessions(c), groups=await groups.list_groups(c), group=group,
        kind=kind, values=values or {}, errors=errors, message=error.message if error else "",
        done=q.get("session", ""), base=platform().office_url(c.office_id, ""), status_code=
        (422 if isinstance(error, ValidationFailed) else error.status_code) if error else 200)


@get("/certifications", opt=CANDIDATES)
async def planning(request: R, actor: CurrentActor) -> Template:
    return await _page(request, actor)


@post("/certifications/{kind:str}", opt=CANDIDATES)
async def assign(request: R, actor: CurrentActor, kind: FromPath[str], data: Form) -> Template | Redirect:
    if kind not in stock.KINDS:
        raise NotFound("Ce type de certification n'existe pas.")
    c = ctx(request, actor)
    values = {"planned_on": _one(data, "planned_on"), "starts_at": _one(data, "starts_at"),
              "address": _one(data, "address"), "candidate_ids": _ids(data)}
    try:
        session_id, _ = await stock.assign(c, kind, values["planned_on"], values["candidate_ids"],
                                           values["starts_at"] or None, values["address"] or None)
    except SocleError as error:
        return await _page(request, actor, kind, values, error)
    return Redirect(platform().office_url(c.office_id, f"/certifications?session={session_id}#sessions"))


@get("/sessions/{item_id:str}/codes.pdf", opt=CANDIDATES)
async def codes_sheet(request: R, actor: CurrentActor, item_id: PathId) -> Response[bytes]:
    pdf = await sheets.codes_pdf(ctx(request, actor), item_id)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="codes-session-{item_id}.pdf"'})


ROUTES = [planning, assign, codes_sheet]
