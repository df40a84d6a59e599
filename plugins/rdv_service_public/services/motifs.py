"""Motifs (appointment types): every field checked here, delays 30 min … 1 year with max > min."""

from __future__ import annotations

import re
from typing import Any

from core.plugin_api import MAX_ID, Conflict, data
from plugins.rdv_service_public.services.common import Checks, Ctx
from plugins.rdv_service_public.tables import Motif, Rdv, Service

MODALITIES = {"sur_place": "Sur place", "telephone": "Par téléphone", "visio": "Par visioconférence",
              "domicile": "À domicile"}
CATEGORIES = {"cni": "CNI", "passeport": "Passeport", "cni_passeport": "CNI + Passeport"}
MIN_DELAY = 30  # minutes
MAX_DELAY = 366 * 24 * 60  # one year (leap years included)
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
FIELDS = ("name", "service_id", "duration_minutes", "modality", "color", "description", "rgpd_text", "online",
          "min_delay_minutes", "max_delay_minutes", "users_may_change", "category", "instructions_before",
          "instructions_after", "collective", "max_participants")


def _flag(value: Any) -> bool:
    return value in (True, "on", "true", "1", 1, "oui")


async def check(ctx: Ctx, values: dict[str, Any]) -> dict[str, Any]:
    """The cleaned column values of a motif, or ValidationFailed naming each bad field."""
    checks = Checks()
    out: dict[str, Any] = {"name": checks.text("name", values.get("name"), "Le nom du motif")}
    service_id = values.get("service_id")
    service = None
    if service_id not in (None, ""):
        service = await ctx.objects(Service).where(Service.id == _int(service_id)).first()
    if service is None:
        checks.add("service_id", "Choisissez un service de l'organisation.")
    out["service"] = service.id if service else None
    out["duration_minutes"] = checks.integer("duration_minutes", values.get("duration_minutes", 30),
                                             "La durée par défaut (minutes)", 5, 480)
    modality = values.get("modality") or "sur_place"
    if modality not in MODALITIES:
        checks.add("modality", "Modalité inconnue (sur place, téléphone, visio ou à domicile).")
    out["modality"] = modality
    color = (values.get("color") or "#1f6feb").strip()
    if not COLOR_RE.match(color):
        checks.add("color", "La couleur doit être au format #RRVVBB.")
    out["color"] = color
    out["description"] = checks.text("description", values.get("description"), "La description", 4000, False)
    out["rgpd_text"] = checks.text("rgpd_text", values.get("rgpd_text"), "Le texte RGPD", 4000, False)
    out["online"] = _flag(values.get("online"))
    out["users_may_change"] = _flag(values.get("users_may_change"))
    low = checks.integer("min_delay_minutes", values.get("min_delay_minutes", MIN_DELAY),
                         "Le délai minimum de réservation (minutes)", MIN_DELAY, MAX_DELAY)
    high = checks.integer("max_delay_minutes", values.get("max_delay_minutes", 60 * 24 * 60),
                          "Le délai maximum de réservation (minutes)", MIN_DELAY, MAX_DELAY)
    if high <= low:
        checks.add("max_delay_minutes", "Le délai maximum doit être supérieur au délai minimum.")
    out["min_delay_minutes"], out["max_delay_minutes"] = low, high
    category = values.get("category") or None
    if category is not None and category not in CATEGORIES:
        checks.add("category", "Catégorie inconnue (CNI, Passeport ou CNI + Passeport).")
    out["category"] = category
    out["instructions_before"] = checks.text("instructions_before", values.get("instructions_before"),
                                             "Les instructions avant le rendez-vous", 4000, False)
    out["instructions_after"] = checks.text("instructions_after", values.get("instructions_after"),
                                            "Les instructions après le rendez-vous", 4000, False)
    out["collective"] = _flag(values.get("collective"))
    out["max_participants"] = (checks.integer("max_participants", values.get("max_participants", 2),
                                              "Le nombre maximum de participants", 2, 500)
                               if out["collective"] else 1)
    checks.done()
    return out


def _int(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return -1
    return number if 1 <= number <= MAX_ID else -1  # an id no row can have (and the database could not read)


async def list_motifs(ctx: Ctx, online_only: bool = False) -> list[Motif]:
    query = ctx.objects(Motif).order_by(Motif.name)
    if online_only:
        query = query.where(Motif.online == True)  # noqa: E712
    return list(await query)


async def save(ctx: Ctx, values: dict[str, Any], motif_id: Any = None) -> Motif:
    ctx.require_admin()
    if motif_id is not None:
        current = await ctx.get(Motif, motif_id, "Ce motif n'existe pas.")
        base = {f: getattr(current, f) for f in FIELDS if f != "service_id"} | {"service_id": current.service}
        values = {**base, **values}
    cleaned = await check(ctx, values)
    async with data.write_transaction():
        motif = (await ctx.get(Motif, motif_id, "Ce motif n'existe pas.") if motif_id is not None
                 else Motif(organisation=ctx.organisation_id, office=ctx.office_id))
        for name, value in cleaned.items():
            setattr(motif, name, value)
        await motif.save()
    return motif


async def delete(ctx: Ctx, motif_id: Any) -> None:
    ctx.require_admin()
    async with data.write_transaction():
        motif = await ctx.get(Motif, motif_id, "Ce motif n'existe pas.")
        if await Rdv.exists().where(Rdv.motif == motif.id):
            raise Conflict("Des rendez-vous utilisent ce motif : il ne peut pas être supprimé.")
        await Motif.delete().where(Motif.id == motif.id)
