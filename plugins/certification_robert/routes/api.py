"""JSON API under /api/v1/offices/{office_id}/m/certification_robert/ (thin: rules are in services)."""

from __future__ import annotations

from typing import Any

from litestar import Request, delete, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.response import Response

from core.plugin_api import CurrentActor, OptionalQueryId, PathId
from plugins.certification_robert.runtime import ctx
from plugins.certification_robert.services import candidates, catalogue, groups, sheets, stock

R = Request[Any, Any, Any]
CANDIDATES = {"permission": "certification_robert.candidates"}
ORDERS = {"permission": "certification_robert.orders"}


@get("/candidates", opt=CANDIDATES)
async def list_candidates(request: R, actor: CurrentActor, q: FromQuery[str] = "", status: FromQuery[str] = "",
                          group_id: OptionalQueryId = None) -> list[dict[str, Any]]:
    return await candidates.list_candidates(ctx(request, actor), q[:200], status, group_id)


@post("/candidates", opt=CANDIDATES)
async def create_candidate(request: R, actor: CurrentActor, data: JSONBody[dict[str, Any]]) -> dict[str, Any]:
    return candidates.out(await candidates.create(ctx(request, actor), data))


@get("/candidates/{item_id:str}", opt=CANDIDATES)
async def get_candidate(request: R, actor: CurrentActor, item_id: PathId) -> dict[str, Any]:
    c = ctx(request, actor)
    return {**candidates.out(await candidates.get(c, item_id)), "groups": await groups.groups_of(c, item_id)}


@put("/candidates/{item_id:str}/steps/{step:str}", opt=CANDIDATES)
async def save_step(request: R, actor: CurrentActor, item_id: PathId, step: FromPath[str],
                    data: JSONBody[dict[str, Any]]) -> dict[str, Any]:
    c = ctx(request, actor)
    await candidates.get(c, item_id)
    return candidates.out(await candidates.save_step(c, item_id, step, data))


@get("/groups", opt=CANDIDATES)
async def list_groups(request: R, actor: CurrentActor) -> list[dict[str, Any]]:
    return await groups.list_groups(ctx(request, actor))


@post("/groups", opt=CANDIDATES)
async def create_group(request: R, actor: CurrentActor, data: JSONBody[dict[str, Any]]) -> dict[str, Any]:
    row = await groups.save(ctx(request, actor), data)
    return groups.out(row.to_dict())


@put("/groups/{item_id:str}", opt=CANDIDATES)
async def update_group(request: R, actor: CurrentActor, item_id: PathId, data: JSONBody[dict[str, Any]]) -> dict:
    c = ctx(request, actor)
    await groups.get(c, item_id)
    return groups.out((await groups.save(c, data, item_id)).to_dict())


@delete("/groups/{item_id:str}", opt=CANDIDATES)
async def delete_group(request: R, actor: CurrentActor, item_id: PathId) -> None:
    await groups.delete(ctx(request, actor), item_id)


@post("/groups/{item_id:str}/candidates", opt=CANDIDATES)
async def associate(request: R, actor: CurrentActor, item_id: PathId, data: JSONBody[dict[str, Any]]) -> dict:
    c = ctx(request, actor)
    await groups.get(c, item_id)
    ids = data.get("candidate_ids")
    if not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        from core.plugin_api import ValidationFailed

        raise ValidationFailed.on("candidate_ids", "« candidate_ids » doit être une liste d'identifiants.")
    return {"added": await groups.associate(c, item_id, ids)}


@delete("/groups/{item_id:str}/candidates/{candidate_id:str}", opt=CANDIDATES)
async def dissociate(request: R, actor: CurrentActor, item_id: PathId, candidate_id: PathId) -> None:
    await groups.dissociate(ctx(request, actor), item_id, candidate_id)


@post("/cart", opt=ORDERS, status_code=200)
async def compute_cart(request: R, actor: CurrentActor, data: JSONBody[dict[str, Any]]) -> dict[str, Any]:
    ctx(request, actor)
    return catalogue.cart(data)


@get("/stock", opt=CANDIDATES)
async def get_stock(request: R, actor: CurrentActor) -> dict[str, int]:
    return await stock.levels(ctx(request, actor))


@post("/assignments", opt=CANDIDATES)
async def assign(request: R, actor: CurrentActor, data: JSONBody[dict[str, Any]]) -> dict[str, Any]:
    c = ctx(request, actor)
    session_id, ids = await stock.assign(c, str(data.get("kind", "")), data.get("planned_on"),
                                         data.get("candidate_ids") or [], data.get("starts_at"), data.get("address"))
    return {"session_id": session_id, "assigned": ids, "stock": await stock.levels(c)}


@get("/sessions", opt=CANDIDATES)
async def list_sessions(request: R, actor: CurrentActor) -> list[dict[str, Any]]:
    return await sheets.list_sessions(ctx(request, actor))


@get("/sessions/{item_id:str}/codes.pdf", opt=CANDIDATES, summary="Feuille imprimable des codes d'activation")
async def codes_sheet(request: R, actor: CurrentActor, item_id: PathId) -> Response[bytes]:
    pdf = await sheets.codes_pdf(ctx(request, actor), item_id)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="codes-session-{item_id}.pdf"'})


ROUTES = [get_stock, assign, list_sessions, codes_sheet,
          list_candidates, create_candidate, get_candidate, save_step, list_groups, create_group, update_group,
          delete_group, associate, dissociate, compute_cart]
