"""Agents are the organisation's members: level from their role, attached to services (changeable, audited).
The permission rules of the seeds live here."""

from __future__ import annotations

from typing import Any

from core.plugin_api import Forbidden, MemberInfo, NotFound, Role, ValidationFailed, data
from plugins.rdv_service_public.services.common import LEVELS, Ctx
from plugins.rdv_service_public.tables import AgentService, Service


async def list_agents(ctx: Ctx) -> list[dict[str, Any]]:
    links = await ctx.select(AgentService, AgentService.member, AgentService.service)
    services: dict[int, list[int]] = {}
    for link in links:
        services.setdefault(link["member"], []).append(link["service"])
    return [{"id": m.id, "display_name": m.display_name, "email": m.email, "level": LEVELS[m.role],
             "role": str(m.role), "service_ids": sorted(services.get(m.id, []))}
            for m in await data.members(ctx.organisation_id, ctx.office_id)]


async def agent(ctx: Ctx, member_id: Any) -> MemberInfo:
    """A member attached to this office, or NotFound."""
    info = await data.member(ctx.organisation_id, member_id)
    if info.id not in {m.id for m in await data.members(ctx.organisation_id, ctx.office_id)}:
        raise NotFound("Cet agent n'existe pas.")
    return info


async def service_ids(ctx: Ctx, member_id: int) -> set[int]:
    rows = await ctx.select(AgentService, AgentService.service).where(AgentService.member == member_id)
    return {row["service"] for row in rows}


async def set_services(ctx: Ctx, member_id: Any, wanted: list[Any]) -> list[int]:
    """Replace an agent's services (admin only), recorded in the audit log."""
    ctx.require_admin()
    target = await agent(ctx, member_id)
    try:
        chosen = sorted({int(s) for s in wanted})
    except (TypeError, ValueError):
        raise ValidationFailed.on("service_ids", "Les services doivent être des identifiants.") from None
    known = {row["id"] for row in await ctx.select(Service, Service.id)}
    if not set(chosen) <= known:
        raise ValidationFailed.on("service_ids", "Un des services choisis n'existe pas.")
    async with data.write_transaction():
        before = sorted(await service_ids(ctx, target.id))
        await AgentService.delete().where((AgentService.member == target.id)
                                          & (AgentService.office == ctx.office_id))
        for service_id in chosen:
            await AgentService(organisation=ctx.organisation_id, office=ctx.office_id, member=target.id,
                               service=service_id).save()
        await data.audit(ctx.actor, "rdv_service_public.agent_services", organisation_id=ctx.organisation_id,
                         target=f"member:{target.id}", summary=f"Services de {target.display_name} modifiés",
                         details={"before": before, "after": chosen})
    return chosen


async def can_manage_agenda(ctx: Ctx, member: MemberInfo) -> bool:
    """Plages and absences: admins every agenda, basic agents their own and the intervenants' agendas."""
    if ctx.actor is None:
        return False
    return ctx.is_admin or member.id == ctx.actor.member_id or member.role is Role.intervenant


async def can_manage_rdv(ctx: Ctx, member_id: int | None, motif_service: int | None) -> bool:
    """Appointments: admins all; basic agents their own, the intervenants', and those of agents (or
    counters, through the motif's service) of one of their services."""
    if ctx.actor is None:
        return False
    if ctx.is_admin or member_id == ctx.actor.member_id:
        return True
    mine = await service_ids(ctx, ctx.actor.member_id)
    if member_id is None:
        return motif_service in mine
    target = await data.member(ctx.organisation_id, member_id)
    if target.role is Role.intervenant:
        return True
    return bool(mine & await service_ids(ctx, member_id))


async def visible_scope(ctx: Ctx) -> tuple[set[int], set[int]] | None:
    """For a basic agent: (members whose appointments they manage, their services); None for admins."""
    if ctx.is_admin or ctx.actor is None:
        return None
    mine = await service_ids(ctx, ctx.actor.member_id)
    links = await ctx.select(AgentService, AgentService.member).where(AgentService.service.is_in(list(mine) or [-1]))
    members = {row["member"] for row in links} | {ctx.actor.member_id}
    members |= {m.id for m in await data.members(ctx.organisation_id, ctx.office_id) if m.role is Role.intervenant}
    return members, mine


async def require_rdv_access(ctx: Ctx, member_id: int | None, motif_service: int | None) -> None:
    if not await can_manage_rdv(ctx, member_id, motif_service):
        raise Forbidden("Vous ne pouvez gérer que vos rendez-vous et ceux des agents de vos services.")


async def bookable(ctx: Ctx, agents: list[dict[str, Any]], motifs: list[Any]) -> tuple[list[dict[str, Any]], list[Any]]:
    """What the appointment form offers: for a basic agent, only the agents whose appointments they manage and
    the motifs of their services (all motifs when they belong to no service); everything for admins."""
    scope = await visible_scope(ctx)
    if scope is None:
        return agents, motifs
    members, services = scope
    return [a for a in agents if a["id"] in members], [m for m in motifs if not services or m.service in services]


async def may_edit_agenda(ctx: Ctx, member_id: int | None, guichet_id: int | None) -> bool:
    """Whether the agenda page shows its add forms and « Supprimer » buttons to this actor."""
    if guichet_id is not None:
        return ctx.is_admin
    if member_id is None:
        return False
    try:
        return await can_manage_agenda(ctx, await agent(ctx, member_id))
    except NotFound:
        return False
