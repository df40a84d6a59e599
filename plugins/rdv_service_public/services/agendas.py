"""Each agenda (an agent, an intervenant or a counter) is one core calendar: plages are its opening rules
(tags = the motifs served, location = the lieu), absences its closures. A counter without any plage is open
every day (one untagged-for-search rule, removed once it has plages): it only has unavailabilities."""

from __future__ import annotations

import contextlib
import json
from datetime import date, datetime, timedelta

from core.plugin_api import NotFound
from core.plugin_api import calendar as cal
from plugins.rdv_service_public.services.common import Ctx
from plugins.rdv_service_public.tables import Absence, Guichet, Plage

SOURCE = "rdv_service_public"  # the rules and closures this module makes are its own: the core API leaves them
AGENT, COUNTER = "rdv_service_public.agent", "rdv_service_public.guichet"
ALWAYS = "rdv:toujours-ouvert"  # tag of a counter's default opening (never matches a motif search)
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def motif_tag(motif_id: int) -> str:
    return f"motif:{motif_id}"


def owner(member: int | None, guichet: int | None) -> tuple[str, str]:
    return (AGENT, str(member)) if member is not None else (COUNTER, str(guichet))


async def calendars(ctx: Ctx) -> dict[tuple[int | None, int | None], int]:
    """The office's agenda calendars: (member, guichet) → calendar id."""
    out: dict[tuple[int | None, int | None], int] = {}
    for row in await cal.list_calendars(ctx.organisation_id, ctx.office_id):
        if row.owner_kind == AGENT:
            out[(int(row.owner_ref), None)] = row.id
        elif row.owner_kind == COUNTER:
            out[(None, int(row.owner_ref))] = row.id
    return out


async def calendar_id(ctx: Ctx, member: int | None = None, guichet: int | None = None) -> int:
    """The agenda's calendar, created on first use (a counter's with its capacity and default opening)."""
    found = (await calendars(ctx)).get((member, guichet))
    if found is not None:
        return found
    kind, ref = owner(member, guichet)
    capacity = 1
    if guichet is not None:
        row = await ctx.objects(Guichet).where(Guichet.id == guichet).first()
        capacity = row.capacity if row else 1
    created = await cal.create_calendar(ctx.organisation_id, ctx.office_id, f"{kind} {ref}", capacity=capacity,
                                        owner_kind=kind, owner_ref=ref, closed_on_public_holidays=False)
    if guichet is not None:
        await _default_opening(ctx, created.id, capacity)
    return created.id


async def _default_opening(ctx: Ctx, calendar: int, capacity: int) -> None:
    await cal.add_opening_rule(ctx.organisation_id, calendar, cal.RuleIn(
        start="00:00", end="24:00", first_date=date(2000, 1, 1), freq="DAILY", tags=[ALWAYS], capacity=capacity),
        source_plugin=SOURCE)


async def _default_rules(ctx: Ctx, calendar: int) -> list[int]:
    return [r.id for r in await cal.list_rules(ctx.organisation_id, calendar) if ALWAYS in r.tags]


async def _capacity(ctx: Ctx, guichet: int | None) -> int | None:
    if guichet is None:
        return None
    row = await ctx.objects(Guichet).where(Guichet.id == guichet).first()
    return row.capacity if row else None


async def sync_plage(ctx: Ctx, plage: Plage) -> None:
    """(Re)write the plage's opening rule (inside the caller's transaction)."""
    calendar = await calendar_id(ctx, plage.member, plage.guichet)
    if plage.rule is not None:
        await _drop_rule(ctx, plage.rule)
    for rule_id in await _default_rules(ctx, calendar):
        await cal.delete_rule(ctx.organisation_id, rule_id)
    weekdays = json.loads(plage.weekdays)
    rule = await cal.add_opening_rule(ctx.organisation_id, calendar, cal.RuleIn(
        start=plage.start_time, end=plage.end_time, first_date=plage.first_day, freq="WEEKLY",
        interval=max(1, plage.every_weeks), byday=",".join(DAYS[d] for d in weekdays), until=plage.until_day,
        exceptions={day: None for day in json.loads(plage.exceptions or "[]")},
        tags=[motif_tag(m) for m in json.loads(plage.motif_ids or "[]")],
        location="" if plage.lieu is None else str(plage.lieu), capacity=await _capacity(ctx, plage.guichet)),
        source_plugin=SOURCE)
    plage.rule = rule.id
    await plage.save()


async def drop_plage(ctx: Ctx, plage: Plage) -> None:
    """Delete the plage's rule; a counter left without plages is open by default again."""
    if plage.rule is not None:
        await _drop_rule(ctx, plage.rule)
    if plage.guichet is not None and not await ctx.objects(Plage).where(
            (Plage.guichet == plage.guichet) & (Plage.id != plage.id)).first():
        calendar = await calendar_id(ctx, None, plage.guichet)
        await _default_opening(ctx, calendar, await _capacity(ctx, plage.guichet) or 1)


async def sync_guichet(ctx: Ctx, guichet: Guichet) -> None:
    """A counter's capacity changed: its openings carry the new one."""
    calendar = await calendar_id(ctx, None, guichet.id)
    for rule_id in await _default_rules(ctx, calendar):
        await cal.delete_rule(ctx.organisation_id, rule_id)
    plages = list(await ctx.objects(Plage).where(Plage.guichet == guichet.id))
    for plage in plages:
        await sync_plage(ctx, plage)
    if not plages:
        await _default_opening(ctx, calendar, guichet.capacity)


def _local(moment: datetime, ctx: Ctx) -> tuple[date, str]:
    local = moment.astimezone(ctx.tz)
    return local.date(), local.strftime("%H:%M")


async def sync_absence(ctx: Ctx, absence: Absence) -> None:
    """(Re)write the absence's closure on the agenda's calendar."""
    calendar = await calendar_id(ctx, absence.member, absence.guichet)
    if absence.closure is not None:
        await _drop_closure(ctx, absence.closure)
    first, start = _local(absence.starts_at, ctx)
    last, end = _local(absence.ends_at, ctx)
    if end == "00:00" and last > first:
        last, end = last - timedelta(days=1), "24:00"
    closure = await cal.add_closure(ctx.organisation_id, ctx.office_id, cal.ClosureIn(
        first_date=first, start=start, end=end, days=(last - first).days, reason=absence.label or "Absence",
        calendar_id=calendar), source_plugin=SOURCE)
    absence.closure = closure.id
    await absence.save()


async def drop_absence(ctx: Ctx, absence: Absence) -> None:
    if absence.closure is not None:
        await _drop_closure(ctx, absence.closure)


async def _drop_rule(ctx: Ctx, rule_id: int) -> None:
    """A rule already gone (deleted through the core API before it refused to) does not block the plage."""
    with contextlib.suppress(NotFound):
        await cal.delete_rule(ctx.organisation_id, rule_id)


async def _drop_closure(ctx: Ctx, closure_id: int) -> None:
    with contextlib.suppress(NotFound):
        await cal.delete_closure(ctx.organisation_id, closure_id)


def agenda_of(ids: dict[tuple[int | None, int | None], int]) -> dict[int, tuple[int | None, int | None]]:
    return {calendar: key for key, calendar in ids.items()}
