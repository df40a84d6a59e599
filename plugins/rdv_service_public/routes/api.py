"""JSON API under /api/v1/offices/{office_id}/m/rdv_service_public/ (thin: rules are in services)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from litestar import Request, delete, get, patch, post, put
from litestar.params import FromQuery, JSONBody, QueryParameter

from core.plugin_api import CurrentActor, Moment, OptionalQueryId, PathId, QueryId
from plugins.rdv_service_public.runtime import ctx
from plugins.rdv_service_public.schemas import (
    AbsenceIn,
    AgentServicesIn,
    ExceptionIn,
    GuichetIn,
    LieuIn,
    MotifIn,
    NameIn,
    PlageIn,
    RdvIn,
    out,
)
from plugins.rdv_service_public.services import agents, availability, booking, config, guichets, motifs, plages

R = Request[Any, Any, Any]
QueryDays = Annotated[int, QueryParameter(ge=1, le=62, description="Nombre de jours (1 à 62).")]
AGENDA = {"permission": "rdv_service_public.agenda"}
CONFIGURE = {"permission": "rdv_service_public.configure"}


@get("/services", opt=AGENDA)
async def list_services(request: R, actor: CurrentActor) -> list[dict[str, Any]]:
    return [out(s) for s in await config.list_services(ctx(request, actor))]


@post("/services", opt=CONFIGURE)
async def create_service(request: R, actor: CurrentActor, data: JSONBody[NameIn]) -> dict[str, Any]:
    return out(await config.save_service(ctx(request, actor), data.given()))


@put("/services/{item_id:str}", opt=CONFIGURE)
async def update_service(request: R, actor: CurrentActor, item_id: PathId, data: JSONBody[NameIn]) -> dict:
    return out(await config.save_service(ctx(request, actor), data.given(), item_id))


@delete("/services/{item_id:str}", opt=CONFIGURE)
async def delete_service(request: R, actor: CurrentActor, item_id: PathId) -> None:
    await config.delete_service(ctx(request, actor), item_id)


@get("/lieux", opt=AGENDA)
async def list_lieux(request: R, actor: CurrentActor) -> list[dict[str, Any]]:
    return [out(s) for s in await config.list_lieux(ctx(request, actor))]


@post("/lieux", opt=CONFIGURE)
async def create_lieu(request: R, actor: CurrentActor, data: JSONBody[LieuIn]) -> dict[str, Any]:
    return out(await config.save_lieu(ctx(request, actor), data.given()))


@put("/lieux/{item_id:str}", opt=CONFIGURE)
async def update_lieu(request: R, actor: CurrentActor, item_id: PathId, data: JSONBody[LieuIn]) -> dict:
    return out(await config.save_lieu(ctx(request, actor), data.given(), item_id))


@delete("/lieux/{item_id:str}", opt=CONFIGURE)
async def delete_lieu(request: R, actor: CurrentActor, item_id: PathId) -> None:
    await config.delete_lieu(ctx(request, actor), item_id)


@get("/motifs", opt=AGENDA)
async def list_motifs(request: R, actor: CurrentActor) -> list[dict[str, Any]]:
    return [out(m) for m in await motifs.list_motifs(ctx(request, actor))]


@post("/motifs", opt=CONFIGURE)
async def create_motif(request: R, actor: CurrentActor, data: JSONBody[MotifIn]) -> dict[str, Any]:
    return out(await motifs.save(ctx(request, actor), data.given()))


@put("/motifs/{item_id:str}", opt=CONFIGURE)
async def update_motif(request: R, actor: CurrentActor, item_id: PathId, data: JSONBody[MotifIn]) -> dict:
    return out(await motifs.save(ctx(request, actor), data.given(), item_id))


@delete("/motifs/{item_id:str}", opt=CONFIGURE)
async def delete_motif(request: R, actor: CurrentActor, item_id: PathId) -> None:
    await motifs.delete(ctx(request, actor), item_id)


@get("/guichets", opt=AGENDA)
async def list_guichets(request: R, actor: CurrentActor) -> list[dict[str, Any]]:
    return [out(g) for g in await guichets.list_guichets(ctx(request, actor))]


@post("/guichets", opt=CONFIGURE)
async def create_guichet(request: R, actor: CurrentActor, data: JSONBody[GuichetIn]) -> dict[str, Any]:
    return out(await guichets.save(ctx(request, actor), data.given()))


@put("/guichets/{item_id:str}", opt=CONFIGURE)
async def update_guichet(request: R, actor: CurrentActor, item_id: PathId, data: JSONBody[GuichetIn]) -> dict:
    return out(await guichets.save(ctx(request, actor), data.given(), item_id))


@delete("/guichets/{item_id:str}", opt=CONFIGURE)
async def delete_guichet(request: R, actor: CurrentActor, item_id: PathId) -> None:
    await guichets.delete(ctx(request, actor), item_id)


@get("/agents", opt=AGENDA)
async def list_agents(request: R, actor: CurrentActor) -> list[dict[str, Any]]:
    return await agents.list_agents(ctx(request, actor))


@put("/agents/{member_id:str}/services", opt=CONFIGURE)
async def set_agent_services(request: R, actor: CurrentActor, member_id: PathId,
                             data: JSONBody[AgentServicesIn]) -> dict[str, Any]:
    return {"service_ids": await agents.set_services(ctx(request, actor), member_id, data.service_ids)}


@get("/plages", opt=AGENDA)
async def list_plages(request: R, actor: CurrentActor, member_id: OptionalQueryId = None,
                      guichet_id: OptionalQueryId = None) -> list[dict[str, Any]]:
    return [out(p) for p in await plages.list_plages(ctx(request, actor), member_id,
                                                     guichet_id)]


@post("/plages", opt=AGENDA)
async def create_plage(request: R, actor: CurrentActor, data: JSONBody[PlageIn]) -> dict[str, Any]:
    return out(await plages.save(ctx(request, actor), data.given()))


@put("/plages/{item_id:str}", opt=AGENDA)
async def update_plage(request: R, actor: CurrentActor, item_id: PathId, data: JSONBody[PlageIn]) -> dict:
    return out(await plages.save(ctx(request, actor), data.given(), item_id))


@post("/plages/{item_id:str}/exceptions", opt=AGENDA)
async def skip_occurrence(request: R, actor: CurrentActor, item_id: PathId,
                          data: JSONBody[ExceptionIn]) -> dict[str, Any]:
    return out(await plages.skip_occurrence(ctx(request, actor), item_id, data.day))


@delete("/plages/{item_id:str}", opt=AGENDA)
async def delete_plage(request: R, actor: CurrentActor, item_id: PathId) -> None:
    await plages.delete(ctx(request, actor), item_id)


@get("/absences", opt=AGENDA)
async def list_absences(request: R, actor: CurrentActor, member_id: OptionalQueryId = None,
                        guichet_id: OptionalQueryId = None) -> list[dict[str, Any]]:
    return [out(a) for a in await plages.list_absences(ctx(request, actor), member_id,
                                                       guichet_id)]


@post("/absences", opt=AGENDA)
async def create_absence(request: R, actor: CurrentActor, data: JSONBody[AbsenceIn]) -> dict[str, Any]:
    return out(await plages.save_absence(ctx(request, actor), data.given()))


@delete("/absences/{item_id:str}", opt=AGENDA)
async def delete_absence(request: R, actor: CurrentActor, item_id: PathId) -> None:
    await plages.delete_absence(ctx(request, actor), item_id)


def _range(start: datetime | None, days: int) -> tuple[datetime, datetime]:
    begin = availability.utc(start or datetime.now().replace(hour=0, minute=0, second=0, microsecond=0))
    return begin, begin + timedelta(days=days)


@get("/rdvs", opt=AGENDA)
async def list_rdvs(request: R, actor: CurrentActor, start: FromQuery[Moment | None] = None,
                    days: QueryDays = 7, member_id: OptionalQueryId = None,
                    motif_id: OptionalQueryId = None, guichet_id: OptionalQueryId = None) -> list[dict]:
    begin, end = _range(start, max(1, min(days, 62)))
    rows = await booking.list_rdvs(ctx(request, actor), begin, end, member=member_id,
                                   motif=motif_id,
                                   guichet=guichet_id)
    return [out(r) for r in rows]


@post("/rdvs", opt=AGENDA)
async def create_rdv(request: R, actor: CurrentActor, data: JSONBody[RdvIn]) -> dict[str, Any]:
    values = data.given()
    confirm = values.pop("confirm_outside_hours", False)
    return out(await booking.create(ctx(request, actor), values, confirm))


@get("/rdvs/{item_id:str}", opt=AGENDA)
async def get_rdv(request: R, actor: CurrentActor, item_id: PathId) -> dict[str, Any]:
    return out(await booking.get(ctx(request, actor), item_id))


@patch("/rdvs/{item_id:str}", opt=AGENDA)
async def update_rdv(request: R, actor: CurrentActor, item_id: PathId, data: JSONBody[RdvIn]) -> dict:
    values = data.given()
    confirm = values.pop("confirm_outside_hours", False)
    return out(await booking.update(ctx(request, actor), item_id, values, confirm))


@delete("/rdvs/{item_id:str}", opt=AGENDA)
async def delete_rdv(request: R, actor: CurrentActor, item_id: PathId) -> None:
    await booking.delete(ctx(request, actor), item_id)


@get("/slots", opt=AGENDA)
async def free_slots(request: R, actor: CurrentActor, motif_id: QueryId,
                     start: FromQuery[Moment | None] = None, days: QueryDays = 7,
                     lieu_id: OptionalQueryId = None) -> list[dict[str, Any]]:
    context = ctx(request, actor)
    motif = await context.get(motifs.Motif, motif_id, "Ce motif n'existe pas.")
    begin, end = _range(start, max(1, min(days, 62)))
    slots = await availability.free_slots(context, motif, begin, end, lieu_id)
    return [{"starts_at": s.start, "ends_at": s.end, "lieu_id": s.lieu, "member_id": s.member,
             "guichet_id": s.guichet} for s in slots]


ROUTES = [list_services, create_service, update_service, delete_service, list_lieux, create_lieu, update_lieu,
          delete_lieu, list_motifs, create_motif, update_motif, delete_motif, list_guichets, create_guichet,
          update_guichet, delete_guichet, list_agents, set_agent_services, list_plages, create_plage, update_plage,
          skip_occurrence, delete_plage, list_absences, create_absence, delete_absence, list_rdvs, create_rdv,
          get_rdv, update_rdv, delete_rdv, free_slots]
