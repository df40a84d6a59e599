"""Services (départements) and lieux: admin-only configuration."""

from __future__ import annotations

from typing import Any

from core.plugin_api import Conflict, data
from plugins.rdv_service_public.services.common import Checks, Ctx
from plugins.rdv_service_public.tables import AgentService, Lieu, Motif, Plage, Rdv, Service


async def list_services(ctx: Ctx) -> list[Service]:
    return list(await ctx.objects(Service).order_by(Service.name))


async def save_service(ctx: Ctx, values: dict[str, Any], service_id: Any = None) -> Service:
    ctx.require_admin()
    if service_id is not None:  # an id of another office answers 404 before any check of the values
        await ctx.get(Service, service_id, "Ce service n'existe pas.")
    checks = Checks()
    name = checks.text("name", values.get("name"), "Le nom du service")
    checks.done()
    async with data.write_transaction():
        service = (await ctx.get(Service, service_id, "Ce service n'existe pas.") if service_id is not None
                   else Service(organisation=ctx.organisation_id, office=ctx.office_id))
        service.name = name
        await service.save()
    return service


async def delete_service(ctx: Ctx, service_id: Any) -> None:
    ctx.require_admin()
    async with data.write_transaction():
        service = await ctx.get(Service, service_id, "Ce service n'existe pas.")
        if await Motif.exists().where(Motif.service == service.id):
            raise Conflict("Ce service a encore des motifs : supprimez-les ou déplacez-les d'abord.")
        await AgentService.delete().where(AgentService.service == service.id)
        await Service.delete().where(Service.id == service.id)


async def list_lieux(ctx: Ctx) -> list[Lieu]:
    return list(await ctx.objects(Lieu).order_by(Lieu.name))


async def save_lieu(ctx: Ctx, values: dict[str, Any], lieu_id: Any = None) -> Lieu:
    ctx.require_admin()
    if lieu_id is not None:
        current = await ctx.get(Lieu, lieu_id, "Ce lieu n'existe pas.")
        values = {"name": current.name, "address": current.address, "phone": current.phone, **values}
    checks = Checks()
    name = checks.text("name", values.get("name"), "Le nom du lieu")
    address = checks.text("address", values.get("address"), "L'adresse", 500)
    phone = checks.text("phone", values.get("phone"), "Le téléphone", 40, required=False)
    checks.done()
    async with data.write_transaction():
        lieu = (await ctx.get(Lieu, lieu_id, "Ce lieu n'existe pas.") if lieu_id is not None
                else Lieu(organisation=ctx.organisation_id, office=ctx.office_id))
        lieu.name, lieu.address, lieu.phone = name, address, phone
        await lieu.save()
    return lieu


async def delete_lieu(ctx: Ctx, lieu_id: Any) -> None:
    ctx.require_admin()
    async with data.write_transaction():
        lieu = await ctx.get(Lieu, lieu_id, "Ce lieu n'existe pas.")
        if await Plage.exists().where(Plage.lieu == lieu.id) or await Rdv.exists().where(Rdv.lieu == lieu.id):
            raise Conflict("Ce lieu est utilisé par des plages d'ouverture ou des rendez-vous.")
        await Lieu.delete().where(Lieu.id == lieu.id)
