"""Appointments booked by agents: permissions, opening hours (warning + confirmation), capacity, statuses,
and the citizen's email only when the date, the motif or the existence changed."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from core.plugin_api import MAX_ID, Conflict, Role, ValidationFailed, data
from core.plugin_api import calendar as cal
from plugins.rdv_service_public.services import agents, availability, notices, places
from plugins.rdv_service_public.services.common import Checks, Ctx
from plugins.rdv_service_public.tables import Guichet, Lieu, Motif, Rdv

STATUSES = {"a_venir": "À venir", "vu": "Vu", "excuse": "Excusé", "annule": "Annulé", "absent": "Absent"}
OUTSIDE_HOURS = ("Ce rendez-vous est en dehors des horaires d'ouverture de l'agenda. "
                 "Confirmez pour l'enregistrer quand même.")


class OutsideHours(Conflict):
    """409 that the agent may override by confirming (`confirm_outside_hours`)."""

    default_message = OUTSIDE_HOURS


IN_THE_PAST = ("Ce rendez-vous commence dans le passé : il sera enregistré comme ayant eu lieu (son historique "
               "le précise). Confirmez pour l'enregistrer quand même.")


class InThePast(Conflict):
    """409 that the agent may override by confirming (`confirm_past`): recording what happened."""

    default_message = IN_THE_PAST


def check_past(start: Any, confirm: bool) -> None:
    """An agent's appointment starting before now needs the confirmation (the public never books the past)."""
    if not confirm and availability.utc(start) < datetime.now(UTC):
        raise InThePast()


class SlotTaken(Conflict):
    default_message = "Ce créneau vient d'être pris. Choisissez un autre créneau."


async def list_rdvs(ctx: Ctx, start: datetime, end: datetime, *, member: int | None = None,
                    motif: int | None = None, guichet: int | None = None) -> list[Rdv]:
    query = ctx.objects(Rdv).where((Rdv.starts_at < end) & (Rdv.ends_at > start)).order_by(Rdv.starts_at)
    if member is not None:
        query = query.where(Rdv.member == member)
    if motif is not None:
        query = query.where(Rdv.motif == motif)
    if guichet is not None:
        query = query.where(Rdv.guichet == guichet)
    rows = list(await query)
    scope = await agents.visible_scope(ctx)
    if scope is None:
        return rows
    members, services = scope
    motif_services = {row["id"]: row["service"] for row in await ctx.select(Motif, Motif.id, Motif.service)}
    return [r for r in rows if r.member in members or (r.member is None and motif_services.get(r.motif) in services)]


async def _clean(ctx: Ctx, values: dict[str, Any], current: Rdv | None) -> dict[str, Any]:
    checks = Checks()
    motif_id = values.get("motif_id", current.motif if current else None)
    motif = await ctx.objects(Motif).where(Motif.id == _int(motif_id)).first()
    if motif is None:
        checks.add("motif_id", "Choisissez un motif.")
    member_id = values.get("member_id", current.member if current else None)
    guichet_id = values.get("guichet_id", current.guichet if current else None)
    member = await agents.agent(ctx, member_id) if member_id not in (None, "") else None
    guichet = await ctx.get(Guichet, guichet_id, "Ce guichet n'existe pas.") if guichet_id not in (None, "") \
        else None
    if member is None and guichet is None:
        checks.add("member_id", "Choisissez un agent ou un guichet.")
    lieu_id = values.get("lieu_id", current.lieu if current else None)
    lieu = await ctx.get(Lieu, lieu_id, "Ce lieu n'existe pas.") if lieu_id not in (None, "") else None
    start = checks.moment("starts_at", values.get("starts_at", current.starts_at if current else None),
                          "La date et l'heure", ctx.tz)
    default = motif.duration_minutes if motif else 30
    if current is not None and "duration_minutes" not in values and "motif_id" not in values:
        default = int((current.ends_at - current.starts_at).total_seconds() // 60)
    raw_duration = values.get("duration_minutes")
    duration = checks.integer("duration_minutes", default if raw_duration in (None, "") else raw_duration,
                              "La durée (minutes)", 5, 600)
    name = checks.text("citizen_name", values.get("citizen_name", current.citizen_name if current else ""),
                       "Le nom de l'usager")
    email = checks.email("citizen_email", values.get("citizen_email", current.citizen_email if current else ""))
    phone = checks.phone("citizen_phone", values.get("citizen_phone", current.citizen_phone if current else ""))
    notes = checks.text("notes", values.get("notes", current.notes if current else ""), "La note", 2000, False)
    checks.done()
    assert motif is not None and start is not None
    return {"motif": motif, "member": member, "guichet": guichet, "lieu": lieu, "start": availability.utc(start),
            "end": availability.utc(start) + timedelta(minutes=duration), "citizen_name": name,
            "citizen_email": email, "citizen_phone": phone, "notes": notes}


def _int(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return -1
    return number if 1 <= number <= MAX_ID else -1  # an id no row can have (and the database could not read)


async def take_place(ctx: Ctx, v: dict[str, Any], confirm: bool, exclude: int | None = None) -> list[int]:
    """Book the agenda(s) on their calendars, inside the caller's transaction: outside the openings serving
    the motif only with the confirmation (and on one's own agenda or an intervenant's), never over capacity."""
    member, guichet, motif = v["member"], v["guichet"], v["motif"]

    def outside() -> None:
        own = ctx.actor is not None and (ctx.is_admin or member is None or member.id == ctx.actor.member_id)
        if member is not None and not own and member.role is not Role.intervenant:
            raise Conflict(f"Vous ne pouvez pas prendre de rendez-vous pour {member.display_name} "
                           "en dehors de ses disponibilités.")
        if not confirm:
            raise OutsideHours()

    wanted = []
    if member is not None:
        wanted.append(((member.id, None), f"{member.display_name} a déjà un rendez-vous sur ce créneau."))
    if guichet is not None:
        wanted.append(((None, guichet.id), f"Le guichet « {guichet.name} » est complet sur ce créneau "
                                           f"(capacité {guichet.capacity})."))
    try:
        return await places.take(ctx, wanted, motif, v["start"], v["end"], v["citizen_name"], outside, exclude)
    except cal.SlotTaken as error:
        raise SlotTaken(error.message) from None


async def create(ctx: Ctx, values: dict[str, Any], confirm_outside_hours: bool = False,
                 confirm_past: bool = True) -> Rdv:
    v = await _clean(ctx, values, None)
    await agents.require_rdv_access(ctx, v["member"].id if v["member"] else None, v["motif"].service)
    check_past(v["start"], confirm_past)
    async with data.write_transaction():
        bookings = await take_place(ctx, v, confirm_outside_hours)
        rdv = Rdv(organisation=ctx.organisation_id, office=ctx.office_id, motif=v["motif"].id,
                  member=v["member"].id if v["member"] else None, guichet=v["guichet"].id if v["guichet"] else None,
                  lieu=v["lieu"].id if v["lieu"] else None, starts_at=v["start"], ends_at=v["end"],
                  citizen_name=v["citizen_name"], citizen_email=v["citizen_email"],
                  citizen_phone=v["citizen_phone"], notes=v["notes"], token=secrets.token_urlsafe(24))
        places.assign(rdv, bookings)
        await rdv.save()
        await notices.queue("created", rdv, ctx.tz)
        await notices.event("created", rdv)
    return rdv


async def get(ctx: Ctx, rdv_id: Any) -> Rdv:
    rdv = await ctx.get(Rdv, rdv_id, "Ce rendez-vous n'existe pas.")
    motif = await Motif.objects().where(Motif.id == rdv.motif).first()
    await agents.require_rdv_access(ctx, rdv.member, motif.service if motif else None)
    return rdv


async def update(ctx: Ctx, rdv_id: Any, values: dict[str, Any], confirm_outside_hours: bool = False,
                 confirm_past: bool = True) -> Rdv:
    rdv = await get(ctx, rdv_id)
    status = values.get("status", rdv.status)
    if status not in STATUSES:
        raise ValidationFailed.on("status", "Statut inconnu (à venir, vu, excusé, annulé ou absent).")
    v = await _clean(ctx, values, rdv)
    await agents.require_rdv_access(ctx, v["member"].id if v["member"] else None, v["motif"].service)
    if v["start"] != availability.utc(rdv.starts_at):
        check_past(v["start"], confirm_past)  # moved to a past start; editing a past one's notes needs nothing
    async with data.write_transaction():
        moved = v["start"] != availability.utc(rdv.starts_at) or v["end"] != availability.utc(rdv.ends_at)
        reassigned = (v["member"].id if v["member"] else None) != rdv.member or \
            (v["guichet"].id if v["guichet"] else None) != rdv.guichet
        motif_changed = v["motif"].id != rdv.motif
        active = status in availability.ACTIVE
        bookings: list[int] | None = None
        if rdv.booking is not None and (moved or reassigned or motif_changed or not active):
            await places.release(ctx, rdv)
        if active and rdv.booking is None:
            bookings = await take_place(ctx, v, confirm_outside_hours or not (moved or reassigned or motif_changed),
                                        exclude=rdv.id)
        cancelled = status == "annule" and rdv.status != "annule"
        rdv.motif, rdv.starts_at, rdv.ends_at = v["motif"].id, v["start"], v["end"]
        rdv.member = v["member"].id if v["member"] else None
        rdv.guichet = v["guichet"].id if v["guichet"] else None
        rdv.lieu = v["lieu"].id if v["lieu"] else None
        rdv.citizen_name, rdv.citizen_email, rdv.citizen_phone = v["citizen_name"], v["citizen_email"], \
            v["citizen_phone"]
        rdv.notes, rdv.status = v["notes"], status
        if bookings is not None:
            places.assign(rdv, bookings)
        await rdv.save()
        if cancelled:
            await notices.queue("cancelled", rdv, ctx.tz)
        elif moved or motif_changed:
            await notices.queue("changed", rdv, ctx.tz)
        await notices.event("cancelled" if cancelled else "updated", rdv)
    return rdv


async def delete(ctx: Ctx, rdv_id: Any) -> None:
    rdv = await get(ctx, rdv_id)
    async with data.write_transaction():
        if rdv.status != "annule" and rdv.starts_at > datetime.now(rdv.starts_at.tzinfo):
            await notices.queue("cancelled", rdv, ctx.tz)
        await notices.event("deleted", rdv)
        await places.release(ctx, rdv)
        await Rdv.delete().where(Rdv.id == rdv.id)
