"""Free slots and places, on the agendas' core calendars: the search is `calendar.search_slots` (openings
serving the motif, minus closures and bookings), a place is taken with `calendar.book` (no double booking).

A collective motif gathers several citizens in one sitting (same motif, same start, same agenda): the
first participant books the calendar, the others join the sitting up to the motif's maximum."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from core.plugin_api import calendar as cal
from plugins.rdv_service_public.services import agendas
from plugins.rdv_service_public.services.common import Ctx
from plugins.rdv_service_public.tables import Motif, Plage, Rdv

ACTIVE = ("a_venir", "vu", "absent", "excuse")  # statuses that hold their place (annulé frees it)
Agenda = tuple[int | None, int | None]  # (member, guichet)


@dataclass(frozen=True, slots=True)
class Slot:
    start: datetime
    end: datetime
    lieu: int | None
    member: int | None
    guichet: int | None


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _lieu(location: str) -> int | None:
    return int(location) if location.isdigit() else None


def _order(agenda: Agenda) -> tuple[int, int]:
    return agenda[0] or 0, agenda[1] or 0


async def agenda_slots(ctx: Ctx, motif: Motif, start: datetime, end: datetime, ids: dict[Agenda, int], *,
                       one_per_start: bool = False) -> list[tuple[Agenda, Slot]]:
    """Free slots of `motif` starting in [start, end) on these agendas, with open collective sittings.
    With `one_per_start`, one free slot per (start, lieu): on the first agenda in `_order` free then."""
    if not ids:
        return []
    step = timedelta(minutes=motif.duration_minutes)
    ordered = sorted(ids, key=_order)
    found = await cal.search_slots(ctx.organisation_id, [ids[a] for a in ordered], start, end + step,
                                   motif.duration_minutes, tags=[agendas.motif_tag(motif.id)], now=start,
                                   one_per_start=one_per_start)
    owners = agendas.agenda_of(ids)
    out = [(owners[s.calendar_id], Slot(utc(s.start), utc(s.end), _lieu(s.location), *owners[s.calendar_id]))
           for s in found if utc(s.start) < end]
    if motif.collective:
        out += [(agenda, Slot(utc(r.starts_at), utc(r.ends_at), r.lieu, *agenda))
                for agenda, r in await open_sittings(ctx, motif, start, end, set(ids))]
    return out


async def free_slots(ctx: Ctx, motif: Motif, start: datetime, end: datetime, lieu: int | None = None,
                     members: list[int] | None = None) -> list[Slot]:
    """Free slots of `motif` starting in [start, end): one per (start, lieu), on the first agenda free."""
    ids = await agendas.calendars(ctx)
    if members is not None:
        ids = {k: v for k, v in ids.items() if k[0] in members}
    slots: dict[tuple[datetime, int | None], tuple[Agenda, Slot]] = {}
    for agenda, slot in await agenda_slots(ctx, motif, start, end, ids, one_per_start=True):
        if lieu is not None and slot.lieu != lieu:
            continue
        key = (slot.start, slot.lieu)
        if key not in slots or _order(agenda) < _order(slots[key][0]):
            slots[key] = (agenda, slot)
    return sorted((s for _, s in slots.values()), key=lambda s: (s.start, s.lieu or 0))


async def open_sittings(ctx: Ctx, motif: Motif, start: datetime, end: datetime,
                        agendas_: Iterable[Agenda]) -> list[tuple[Agenda, Rdv]]:
    """Sittings of a collective motif starting in [start, end) that still have room."""
    wanted = set(agendas_)
    rows = await ctx.objects(Rdv).where((Rdv.motif == motif.id) & Rdv.status.is_in(list(ACTIVE))
                                        & (Rdv.starts_at >= start) & (Rdv.starts_at < end)
                                        & Rdv.booking.is_not_null())
    counts: dict[int, list[Rdv]] = {}
    for row in rows:
        counts.setdefault(row.booking, []).append(row)
    out = []
    for sitting in counts.values():
        first = sitting[0]
        agenda = (first.member, first.guichet if first.member is None else None)
        if agenda in wanted and len(sitting) < max(1, motif.max_participants):
            out.append((agenda, first))
    return out


async def serves(ctx: Ctx, agenda: Agenda, start: datetime, end: datetime, motif: Motif) -> bool:
    """Whether an opening of the agenda serving the motif holds [start, end) with a free place (a counter
    without any plage serves every motif)."""
    member, guichet = agenda
    if member is None and guichet is not None and not await ctx.objects(Plage).where(Plage.guichet == guichet).first():
        return True
    calendar = await agendas.calendar_id(ctx, member, guichet)
    minutes = max(1, int((end - start).total_seconds() // 60))
    found = await cal.search_slots(ctx.organisation_id, [calendar], start, end, minutes, step=1,
                                   tags=[agendas.motif_tag(motif.id)], now=start)
    return any(utc(s.start) == start for s in found)


def sitting_query(ctx: Ctx, motif: Motif, agenda: Agenda, start: datetime, exclude: int | None) -> Any:
    member, guichet = agenda
    query = ctx.objects(Rdv).where((Rdv.motif == motif.id) & (Rdv.starts_at == start)
                                   & Rdv.status.is_in(list(ACTIVE)) & Rdv.booking.is_not_null())
    query = query.where(Rdv.member == member) if member is not None else query.where(
        Rdv.member.is_null() & (Rdv.guichet == guichet))
    if exclude is not None:
        query = query.where(Rdv.id != exclude)
    return query
