"""Opening windows of agendas (plages expanded over dates, minus exceptions and absences) and free slots.

Everything is computed in memory from three range queries (plages, absences, appointments), which keeps
a month of slots over hundreds of agents fast."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from plugins.rdv_service_public.services.common import Ctx
from plugins.rdv_service_public.tables import Absence, Guichet, Motif, Plage, Rdv

ACTIVE = ("a_venir", "vu", "absent", "excuse")  # statuses that hold their place (annulé frees it)


@dataclass(frozen=True, slots=True)
class Window:
    member: int | None
    guichet: int | None
    lieu: int | None
    start: datetime
    end: datetime
    motifs: frozenset[int]  # empty: every motif

    def serves(self, motif_id: int) -> bool:
        return not self.motifs or motif_id in self.motifs


@dataclass(frozen=True, slots=True)
class Slot:
    start: datetime
    end: datetime
    lieu: int | None
    member: int | None
    guichet: int | None


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def occurrences(plage: dict[str, Any], first: date, last: date, tz: ZoneInfo) -> list[tuple[datetime, datetime]]:
    """The (start, end) of each occurrence of a plage between two local days, both included."""
    weekdays = set(json.loads(plage["weekdays"]))
    skipped = set(json.loads(plage["exceptions"]))
    anchor = plage["first_day"] - timedelta(days=plage["first_day"].weekday())
    every = max(1, plage["every_weeks"])
    start_t, end_t = time.fromisoformat(plage["start_time"]), time.fromisoformat(plage["end_time"])
    day = max(first, plage["first_day"])
    stop = min(last, plage["until_day"]) if plage["until_day"] else last
    out = []
    while day <= stop:
        if (day.weekday() in weekdays and day.isoformat() not in skipped
                and ((day - anchor).days // 7) % every == 0):
            out.append((utc(datetime.combine(day, start_t, tz)), utc(datetime.combine(day, end_t, tz))))
        day += timedelta(days=1)
    return out


Span = tuple[datetime, datetime]


def _subtract(start: datetime, end: datetime, holes: list[Span]) -> list[Span]:
    parts = [(start, end)]
    for hole_start, hole_end in holes:
        next_parts = []
        for a, b in parts:
            if hole_end <= a or hole_start >= b:
                next_parts.append((a, b))
                continue
            if a < hole_start:
                next_parts.append((a, hole_start))
            if hole_end < b:
                next_parts.append((hole_end, b))
        parts = next_parts
    return parts


async def windows(ctx: Ctx, start: datetime, end: datetime, *, member: int | None = None,
                  guichet: int | None = None, members: list[int] | None = None) -> list[Window]:
    """Open windows overlapping [start, end) of the selected agendas (all of the office by default)."""
    tz = ctx.tz
    query = ctx.select(Plage)
    if member is not None:
        query = query.where(Plage.member == member)
    if guichet is not None:
        query = query.where(Plage.guichet == guichet)
    if members is not None:
        query = query.where(Plage.member.is_in(members or [-1]))
    first, last = start.astimezone(tz).date(), end.astimezone(tz).date()
    query = query.where(Plage.first_day <= last).where((Plage.until_day.is_null()) | (Plage.until_day >= first))
    plages = await query
    absences: dict[tuple[int | None, int | None], list[tuple[datetime, datetime]]] = defaultdict(list)
    for row in await ctx.select(Absence).where((Absence.starts_at < end) & (Absence.ends_at > start)):
        absences[(row["member"], row["guichet"])].append((utc(row["starts_at"]), utc(row["ends_at"])))
    expanded: dict[tuple[Any, ...], list[tuple[datetime, datetime]]] = {}  # agents often share a schedule
    motif_sets: dict[str, frozenset[int]] = {}
    out = []
    for plage in plages:
        text = plage["motif_ids"]
        motifs = motif_sets.get(text)
        if motifs is None:
            motifs = motif_sets[text] = frozenset(json.loads(text))
        pattern = (plage["weekdays"], plage["exceptions"], plage["first_day"], plage["until_day"],
                   plage["every_weeks"], plage["start_time"], plage["end_time"])
        spans = expanded.get(pattern)
        if spans is None:
            spans = expanded[pattern] = [(a, b) for a, b in occurrences(plage, first, last, tz)
                                         if b > start and a < end]
        holes = absences.get((plage["member"], plage["guichet"]))
        for a, b in spans:
            for part_start, part_end in (_subtract(a, b, holes) if holes else ((a, b),)):
                out.append(Window(plage["member"], plage["guichet"], plage["lieu"], part_start, part_end, motifs))
    return out


async def is_open(ctx: Ctx, start: datetime, end: datetime, motif_id: int, *, member: int | None = None,
                  guichet: int | None = None) -> bool:
    """Whether one agenda is open over the whole of [start, end) for that motif. A counter without any
    plage is open unless unavailable (counters are available by default)."""
    found = await windows(ctx, start - timedelta(days=1), end + timedelta(days=1), member=member, guichet=guichet)
    if guichet is not None and member is None and not await ctx.objects(Plage).where(Plage.guichet == guichet).first():
        unavailable = await ctx.select(Absence, Absence.id).where(
            (Absence.guichet == guichet) & (Absence.starts_at < end) & (Absence.ends_at > start))
        return not unavailable
    return any(w.start <= start and end <= w.end and w.serves(motif_id) for w in found)


async def booked(ctx: Ctx, start: datetime, end: datetime, exclude: int | None = None) -> list[dict[str, Any]]:
    query = ctx.select(Rdv, Rdv.id, Rdv.member, Rdv.guichet, Rdv.motif, Rdv.starts_at, Rdv.ends_at).where(
        (Rdv.starts_at < end) & (Rdv.ends_at > start) & Rdv.status.is_in(list(ACTIVE)))
    if exclude is not None:
        query = query.where(Rdv.id != exclude)
    return list(await query)


def remaining(rows: list[dict[str, Any]], start: datetime, end: datetime, capacity: int,
              motif: Motif | None = None) -> int:
    """Places left on one agenda over [start, end) given its overlapping appointments. A collective motif
    shares one sitting (same motif, same start) up to its maximum of participants."""
    overlapping = [r for r in rows if utc(r["starts_at"]) < end and utc(r["ends_at"]) > start]
    if motif is not None and motif.collective:
        same = [r for r in overlapping if r["motif"] == motif.id and utc(r["starts_at"]) == start]
        if len(same) == len(overlapping):
            return max(capacity, motif.max_participants) - len(same)
        return 0
    return capacity - len(overlapping)


async def capacities(ctx: Ctx) -> dict[int, int]:
    return {row["id"]: row["capacity"] for row in await ctx.select(Guichet, Guichet.id, Guichet.capacity)}


async def free_slots(ctx: Ctx, motif: Motif, start: datetime, end: datetime, lieu: int | None = None,
                     members: list[int] | None = None) -> list[Slot]:
    """Free slots of `motif` starting in [start, end): one per (start, lieu), on the first agenda free."""
    step = timedelta(minutes=motif.duration_minutes)
    found = [w for w in await windows(ctx, start, end + step, members=members) if w.serves(motif.id)]
    if lieu is not None:
        found = [w for w in found if w.lieu == lieu]
    per_agenda: dict[tuple[int | None, int | None], list[dict[str, Any]]] = defaultdict(list)
    for row in await booked(ctx, start, end + step):
        per_agenda[(row["member"], None)].append(row)
        if row["guichet"] is not None:
            per_agenda[(None, row["guichet"])].append(row)
    caps = await capacities(ctx)
    groups: dict[tuple[datetime, datetime, int | None], list[Window]] = defaultdict(list)
    for window in found:
        groups[(window.start, window.end, window.lieu)].append(window)
    slots: dict[tuple[datetime, int | None], Slot] = {}
    for (w_start, w_end, lieu_id), members_windows in groups.items():
        members_windows.sort(key=lambda w: (w.member or 0, w.guichet or 0))
        moment = w_start
        while moment + step <= w_end:
            if start <= moment < end and (moment, lieu_id) not in slots:
                for window in members_windows:
                    key = (window.member, None) if window.member is not None else (None, window.guichet)
                    capacity = caps.get(window.guichet or 0, 1) if window.member is None else 1
                    if remaining(per_agenda.get(key, []), moment, moment + step, capacity, motif) > 0:
                        slots[(moment, lieu_id)] = Slot(moment, moment + step, lieu_id, window.member,
                                                        window.guichet)
                        break
            moment += step
    return sorted(slots.values(), key=lambda s: (s.start, s.lieu or 0))
