"""Guichets (counters): a capacity (appointments at the same time) and the motifs they serve."""

from __future__ import annotations

from typing import Any

from core.plugin_api import Conflict, data
from plugins.rdv_service_public.services import agendas
from plugins.rdv_service_public.services.common import Checks, Ctx, dump, ids
from plugins.rdv_service_public.tables import Guichet, Motif, Rdv

STANDARD = "Guichet standard"


async def list_guichets(ctx: Ctx) -> list[Guichet]:
    return list(await ctx.objects(Guichet).order_by(Guichet.name))


async def ensure_standard(organisation_id: int, office_id: int) -> None:
    """Create the "Guichet standard" of an office once (on module activation)."""
    async with data.write_transaction():
        exists = await Guichet.exists().where((Guichet.office == office_id) & (Guichet.name == STANDARD))
        if not exists:
            await Guichet(organisation=organisation_id, office=office_id, name=STANDARD, capacity=1).save()


async def save(ctx: Ctx, values: dict[str, Any], guichet_id: Any = None) -> Guichet:
    ctx.require_admin()
    if guichet_id is not None:
        current = await ctx.get(Guichet, guichet_id, "Ce guichet n'existe pas.")
        values = {"name": current.name, "capacity": current.capacity, "motif_ids": ids(current.motif_ids),
                  **values}
    checks = Checks()
    name = checks.text("name", values.get("name"), "Le nom du guichet")
    capacity = checks.integer("capacity", values.get("capacity", 1), "La capacité", 1, 100)
    raw = values.get("motif_ids") or []
    try:
        motif_ids = sorted({int(v) for v in raw})
    except (TypeError, ValueError):
        checks.add("motif_ids", "Les motifs doivent être des identifiants.")
        motif_ids = []
    known = {row["id"] for row in await ctx.select(Motif, Motif.id)}
    if not set(motif_ids) <= known:
        checks.add("motif_ids", "Un des motifs choisis n'existe pas.")
    checks.done()
    async with data.write_transaction():
        guichet = (await ctx.get(Guichet, guichet_id, "Ce guichet n'existe pas.") if guichet_id is not None
                   else Guichet(organisation=ctx.organisation_id, office=ctx.office_id))
        resized = guichet_id is not None and guichet.capacity != capacity
        guichet.name, guichet.capacity, guichet.motif_ids = name, capacity, dump(motif_ids)
        await guichet.save()
        if resized:
            await agendas.sync_guichet(ctx, guichet)
    return guichet


async def delete(ctx: Ctx, guichet_id: Any) -> None:
    ctx.require_admin()
    async with data.write_transaction():
        guichet = await ctx.get(Guichet, guichet_id, "Ce guichet n'existe pas.")
        if await Rdv.exists().where((Rdv.guichet == guichet.id) & (Rdv.status != "annule")):
            raise Conflict("Ce guichet a des rendez-vous : il ne peut pas être supprimé.")
        await Guichet.delete().where(Guichet.id == guichet.id)
