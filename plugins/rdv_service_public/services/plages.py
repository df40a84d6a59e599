"""Plages d'ouverture (weekly recurrence with per-occurrence exceptions) and absences of agents and
counters. Basic agents manage their own agenda and the intervenants'; counters and others are admin-only."""

from __future__ import annotations

from datetime import date
from typing import Any

from core.plugin_api import MAX_ID, Forbidden, data
from core.plugin_api import calendar as cal
from plugins.rdv_service_public.services import agendas, agents
from plugins.rdv_service_public.services.common import Checks, Ctx, dump, ids
from plugins.rdv_service_public.tables import Absence, Guichet, Lieu, Motif, Plage

AGENDA_DENIED = "Vous ne pouvez gérer que votre agenda et celui des intervenants."


async def check_owner(ctx: Ctx, member_id: Any, guichet_id: Any, checks: Checks) -> tuple[int | None, int | None]:
    """The agenda (exactly one of agent or counter) after checking the actor may manage it."""
    if (member_id in (None, "")) == (guichet_id in (None, "")):
        checks.add("member_id", "Choisissez un agent ou un guichet (un seul).")
        checks.done()
    if guichet_id not in (None, ""):
        guichet = await ctx.get(Guichet, guichet_id, "Ce guichet n'existe pas.")
        if not ctx.is_admin:
            raise Forbidden("Seuls les administrateurs gèrent les guichets.")
        return None, guichet.id
    member = await agents.agent(ctx, member_id)
    if not await agents.can_manage_agenda(ctx, member):
        raise Forbidden(AGENDA_DENIED)
    return member.id, None


async def list_plages(ctx: Ctx, member_id: int | None = None, guichet_id: int | None = None) -> list[Plage]:
    query = ctx.objects(Plage).order_by(Plage.first_day)
    if member_id is not None:
        query = query.where(Plage.member == member_id)
    if guichet_id is not None:
        query = query.where(Plage.guichet == guichet_id)
    return list(await query)


async def _clean(ctx: Ctx, values: dict[str, Any]) -> dict[str, Any]:
    checks = Checks()
    member, guichet = await check_owner(ctx, values.get("member_id"), values.get("guichet_id"), checks)
    out: dict[str, Any] = {"member": member, "guichet": guichet}
    weekdays = values.get("weekdays") or []
    try:
        days = sorted({int(d) for d in weekdays})
    except (TypeError, ValueError):
        days = [-1]
    if not days or not all(0 <= d <= 6 for d in days):
        checks.add("weekdays", "Choisissez au moins un jour de la semaine.")
    out["weekdays"] = dump(days)
    out["every_weeks"] = checks.integer("every_weeks", values.get("every_weeks", 1), "La récurrence (semaines)", 1, 4)
    out["first_day"] = checks.day("first_day", values.get("first_day"), "Le premier jour")
    out["until_day"] = checks.day("until_day", values.get("until_day"), "Le dernier jour", required=False)
    if out["first_day"] and out["until_day"] and out["until_day"] < out["first_day"]:
        checks.add("until_day", "Le dernier jour doit suivre le premier jour.")
    out["start_time"] = checks.time("start_time", values.get("start_time"), "L'heure de début")
    out["end_time"] = checks.time("end_time", values.get("end_time"), "L'heure de fin")
    if out["end_time"] <= out["start_time"]:
        checks.add("end_time", "L'heure de fin doit suivre l'heure de début.")
    lieu_id = values.get("lieu_id")
    out["lieu"] = None
    if lieu_id not in (None, ""):
        lieu = await ctx.objects(Lieu).where(Lieu.id == _int(lieu_id)).first()
        if lieu is None:
            checks.add("lieu_id", "Ce lieu n'existe pas.")
        else:
            out["lieu"] = lieu.id
    motif_ids = {_int(m) for m in values.get("motif_ids") or []}
    if not motif_ids <= {row["id"] for row in await ctx.select(Motif, Motif.id)}:
        checks.add("motif_ids", "Un des motifs choisis n'existe pas.")
    out["motif_ids"] = dump(sorted(motif_ids))
    exceptions: list[str] = []
    for raw in values.get("exceptions") or []:
        day = checks.day("exceptions", raw, "Une exception")
        if day:
            exceptions.append(day.isoformat())
    out["exceptions"] = dump(sorted(set(exceptions)))
    checks.done()
    return out


def _int(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return -1
    return number if 1 <= number <= MAX_ID else -1  # an id no row can have (and the database could not read)


async def save(ctx: Ctx, values: dict[str, Any], plage_id: Any = None) -> Plage:
    if plage_id is not None:
        existing = await ctx.get(Plage, plage_id, "Cette plage d'ouverture n'existe pas.")
        await check_owner(ctx, existing.member, existing.guichet, Checks())
        values = {"member_id": existing.member, "guichet_id": existing.guichet, "lieu_id": existing.lieu,
                  "weekdays": ids(existing.weekdays), "every_weeks": existing.every_weeks,
                  "first_day": existing.first_day, "until_day": existing.until_day,
                  "start_time": existing.start_time, "end_time": existing.end_time,
                  "motif_ids": ids(existing.motif_ids), "exceptions": ids_as_days(existing.exceptions), **values}
    cleaned = await _clean(ctx, values)
    async with data.write_transaction():
        plage = (await ctx.get(Plage, plage_id) if plage_id is not None
                 else Plage(organisation=ctx.organisation_id, office=ctx.office_id))
        for name, value in cleaned.items():
            setattr(plage, name, value)
        await plage.save()
        await agendas.sync_plage(ctx, plage)
    return plage


async def skip_occurrence(ctx: Ctx, plage_id: Any, day: Any) -> Plage:
    """Cancel one occurrence of a recurring plage (a per-occurrence exception)."""
    plage = await ctx.get(Plage, plage_id, "Cette plage d'ouverture n'existe pas.")
    await check_owner(ctx, plage.member, plage.guichet, Checks())
    checks = Checks()
    when = checks.day("day", day, "Le jour")
    checks.done()
    assert when is not None
    async with data.write_transaction():
        skipped = set(ids_as_days(plage.exceptions)) | {when}
        plage.exceptions = dump(sorted(d.isoformat() for d in skipped))
        await plage.save()
        if plage.rule is None:
            await agendas.sync_plage(ctx, plage)
        else:
            await cal.set_rule_exception(ctx.organisation_id, plage.rule, when, None)
    return plage


def ids_as_days(text: str) -> list[date]:
    import json

    return [date.fromisoformat(d) for d in json.loads(text or "[]")]


async def delete(ctx: Ctx, plage_id: Any) -> None:
    plage = await ctx.get(Plage, plage_id, "Cette plage d'ouverture n'existe pas.")
    await check_owner(ctx, plage.member, plage.guichet, Checks())
    async with data.write_transaction():
        await agendas.drop_plage(ctx, plage)
        await Plage.delete().where(Plage.id == plage.id)


async def list_absences(ctx: Ctx, member_id: int | None = None, guichet_id: int | None = None) -> list[Absence]:
    query = ctx.objects(Absence).order_by(Absence.starts_at)
    if member_id is not None:
        query = query.where(Absence.member == member_id)
    if guichet_id is not None:
        query = query.where(Absence.guichet == guichet_id)
    return list(await query)


async def save_absence(ctx: Ctx, values: dict[str, Any], absence_id: Any = None) -> Absence:
    if absence_id is not None:
        existing = await ctx.get(Absence, absence_id, "Cette absence n'existe pas.")
        await check_owner(ctx, existing.member, existing.guichet, Checks())
        values = {"member_id": existing.member, "guichet_id": existing.guichet, "starts_at": existing.starts_at,
                  "ends_at": existing.ends_at, "label": existing.label, **values}
    checks = Checks()
    member, guichet = await check_owner(ctx, values.get("member_id"), values.get("guichet_id"), checks)
    starts = checks.moment("starts_at", values.get("starts_at"), "Le début", ctx.tz)
    ends = checks.moment("ends_at", values.get("ends_at"), "La fin", ctx.tz)
    if starts and ends and ends <= starts:
        checks.add("ends_at", "La fin doit suivre le début.")
    label = checks.text("label", values.get("label"), "Le libellé", 200, required=False)
    checks.done()
    async with data.write_transaction():
        absence = (await ctx.get(Absence, absence_id) if absence_id is not None
                   else Absence(organisation=ctx.organisation_id, office=ctx.office_id))
        absence.member, absence.guichet, absence.starts_at, absence.ends_at = member, guichet, starts, ends
        absence.label = label
        await absence.save()
        await agendas.sync_absence(ctx, absence)
    return absence


async def delete_absence(ctx: Ctx, absence_id: Any) -> None:
    absence = await ctx.get(Absence, absence_id, "Cette absence n'existe pas.")
    await check_owner(ctx, absence.member, absence.guichet, Checks())
    async with data.write_transaction():
        await agendas.drop_absence(ctx, absence)
        await Absence.delete().where(Absence.id == absence.id)

