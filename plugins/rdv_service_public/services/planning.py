"""The agents' planning (day or week) as a time grid: which columns (days, or agendas on a day view without
an agent), which items (appointments, free slots of the chosen motif, plages as openings, absences and
office closures as closed times), placed by `grid.layout`."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.plugin_api import calendar as cal
from plugins.rdv_service_public.services import agendas, availability, booking, plages
from plugins.rdv_service_public.services.common import Ctx
from plugins.rdv_service_public.services.grid import Grid, Item, layout
from plugins.rdv_service_public.tables import Motif, Plage, Rdv

DAYS = ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche")
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
Agenda = tuple[int | None, int | None]  # (member, guichet)


@dataclass(frozen=True, slots=True)
class Filters:
    view: str  # "day" | "week"
    day: date
    member: int | None = None
    motif: int | None = None
    guichet: int | None = None

    @property
    def first(self) -> date:
        return self.day if self.view == "day" else self.day - timedelta(days=self.day.weekday())

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range(1 if self.view == "day" else 7)]

    @property
    def by_agenda(self) -> bool:
        """Day view without an agent: one column per agenda."""
        return self.view == "day" and self.member is None


@dataclass(frozen=True, slots=True)
class Planning:
    grid: Grid
    filters: Filters
    previous: date
    following: date


def day_label(day: date) -> str:
    return f"{DAYS[day.weekday()]} {day:%d/%m}"


def _minutes(moment: datetime, day: date, tz: ZoneInfo) -> int:
    local = moment.astimezone(tz)
    if local.date() < day:
        return 0
    return 24 * 60 if local.date() > day else local.hour * 60 + local.minute


def _agenda(member: int | None, guichet: int | None) -> Agenda:
    return (member, None) if member is not None else (None, guichet)


class Builder:
    """Collects the grid's items for one page: the column of a thing is its day (week, or a single agenda)
    or its agenda (day view by agenda)."""

    def __init__(self, ctx: Ctx, filters: Filters, names: dict[Agenda, str]) -> None:
        self.ctx, self.filters, self.names = ctx, filters, names
        self.items: list[Item] = []
        self.agendas: set[Agenda] = set()

    def column(self, day: date, agenda: Agenda | None) -> str:
        if self.filters.by_agenda and agenda is not None:
            self.agendas.add(agenda)
            return f"{agenda[0] or ''}:{agenda[1] or ''}"
        return day.isoformat()

    def add(self, start: datetime, end: datetime, agenda: Agenda | None, kind: str, **fields: Any) -> None:
        """Place [start, end) on every shown day it touches."""
        tz = self.ctx.tz
        for day in self.filters.days:
            low, high = _minutes(start, day, tz), _minutes(end, day, tz)
            if high > low:
                self.items.append(Item(self.column(day, agenda), low, high, kind, **fields))

    def rdv(self, rdv: Rdv, motif: Motif | None, status: str, base: str) -> None:
        local = rdv.starts_at.astimezone(self.ctx.tz)
        name = motif.name if motif else ""
        who = self.names.get(_agenda(rdv.member, rdv.guichet), "")
        span = f"{local:%H:%M}–{rdv.ends_at.astimezone(self.ctx.tz):%H:%M}"
        color = motif.color if motif and COLOR_RE.match(motif.color or "") else "#5b6470"
        shared = not self.filters.by_agenda and self.filters.member is None and self.filters.guichet is None
        self.add(rdv.starts_at, rdv.ends_at, _agenda(rdv.member, rdv.guichet), "rdv",
                 lines=(f"{local:%H:%M} {rdv.citizen_name}", name, status, who if shared else ""),
                 title=" · ".join(t for t in (span, rdv.citizen_name, name, status, who) if t),
                 href=f"{base}/rdvs/{rdv.id}", color=color, css=f"status-{rdv.status}")

    def slot(self, slot: availability.Slot, motif: Motif, base: str) -> None:
        local = slot.start.astimezone(self.ctx.tz)
        who = self.names.get(_agenda(slot.member, slot.guichet), "")
        query = f"motif_id={motif.id}&starts_at={local:%Y-%m-%dT%H:%M}"
        for key, value in (("member_id", slot.member), ("guichet_id", slot.guichet), ("lieu_id", slot.lieu)):
            query += f"&{key}={value}" if value else ""
        self.add(slot.start, slot.end, _agenda(slot.member, slot.guichet), "slot",
                 lines=(f"Libre {local:%H:%M}" + (f" · {who}" if who and not self.filters.by_agenda else ""),),
                 title=f"Créneau libre {local:%H:%M} · {motif.name}" + (f" · {who}" if who else ""),
                 href=f"{base}/rdvs/new?{query}")

    def plage(self, plage: Plage) -> None:
        agenda = _agenda(plage.member, plage.guichet)
        weekdays = tuple((int(d), 0) for d in json.loads(plage.weekdays or "[]"))
        skipped = set(plages.ids_as_days(plage.exceptions or "[]"))
        recurrence = cal.Recurrence(plage.first_day, "WEEKLY", max(1, plage.every_weeks), weekdays, plage.until_day)
        start, end = time.fromisoformat(plage.start_time), _end_time(plage.end_time)
        for day in recurrence.dates(self.filters.days[0], self.filters.days[-1]):
            if day not in skipped:
                text = f"Ouvert {plage.start_time}–{plage.end_time}"
                title = text + (f" · {self.names[agenda]}" if agenda in self.names else "")
                self.add(datetime.combine(day, start, self.ctx.tz), _at(day, end, self.ctx.tz), agenda, "opening",
                         lines=(text,), title=title)

    def closed(self, start: datetime, end: datetime, agenda: Agenda | None, label: str) -> None:
        shown = [agenda] if agenda is not None or not self.filters.by_agenda else sorted(
            self.agendas, key=lambda a: (a[0] is None, a[0] or 0, a[1] or 0))
        for target in shown:
            self.add(start, end, target, "closed", lines=(label,), title=label)


def _end_time(text: str) -> time | None:
    return None if text == "24:00" else time.fromisoformat(text)


def _at(day: date, moment: time | None, tz: ZoneInfo) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tz) if moment is None else datetime.combine(
        day, moment, tz)


async def office_closures(ctx: Ctx, first: date, last: date) -> list[tuple[datetime, datetime, str]]:
    """The office-wide closures (core calendar, no particular calendar) touching first..last."""
    out = []
    for closure in await cal.list_closures(ctx.organisation_id, ctx.office_id):
        if closure.calendar_id is not None:
            continue
        recurrence = cal.Recurrence(closure.first_date, closure.freq, closure.interval,
                                    cal.parse_byday(closure.byday), closure.until, closure.count)
        for day in recurrence.dates(first - timedelta(days=closure.days), last):
            out.append((datetime.combine(day, time.fromisoformat(closure.start), ctx.tz),
                        _at(day + timedelta(days=closure.days), _end_time(closure.end), ctx.tz),
                        closure.reason or "Fermé"))
    return out


async def build(ctx: Ctx, filters: Filters, motifs: list[Motif], names: dict[Agenda, str], base: str,
                now: datetime) -> Planning:
    """The planning page's grid. `names`: agenda → heading (agents then counters, in display order)."""
    days = filters.days
    start = datetime.combine(days[0], time(0), ctx.tz)
    end = start + timedelta(days=len(days))
    member, guichet = filters.member, filters.guichet
    builder = Builder(ctx, filters, names)
    by_id = {m.id: m for m in motifs}
    for rdv in await booking.list_rdvs(ctx, start, end, member=member, motif=filters.motif, guichet=guichet):
        builder.rdv(rdv, by_id.get(rdv.motif), booking.STATUSES.get(rdv.status, rdv.status), base)
    motif = by_id.get(filters.motif) if filters.motif is not None else None
    if motif is not None:
        for slot in await _slots(ctx, filters, motif, start, end):
            builder.slot(slot, motif, base)
    single = member is not None or guichet is not None
    owner = (member, None if member is not None else guichet)
    for plage in await plages.list_plages(ctx, *owner) if single else await plages.list_plages(ctx):
        served = json.loads(plage.motif_ids or "[]")
        if motif is None or not served or motif.id in served:
            builder.plage(plage)
    for absence in await plages.list_absences(ctx, *owner) if single else await plages.list_absences(ctx):
        agenda = _agenda(absence.member, absence.guichet)
        label = absence.label or "Absence"
        if not single and not filters.by_agenda:  # the shared week: whose absence it is
            who = names.get(agenda, "")
            builder.closed(absence.starts_at, absence.ends_at, agenda, f"{label} · {who}" if who else label)
        elif not filters.by_agenda or agenda in builder.agendas:
            builder.closed(absence.starts_at, absence.ends_at, agenda, label)
    for low, high, reason in await office_closures(ctx, days[0], days[-1]):
        builder.closed(low, high, None, reason)
    for day, name in await cal.office_closed_holidays(ctx.organisation_id, ctx.office_id, days[0], days[-1]):
        builder.closed(datetime.combine(day, time(0), ctx.tz), _at(day, None, ctx.tz), None, f"{name} (jour férié)")
    return Planning(_layout(builder, now), filters, filters.first - timedelta(days=len(days)),
                    filters.first + timedelta(days=len(days)))


async def _slots(ctx: Ctx, filters: Filters, motif: Motif, start: datetime, end: datetime) -> list[availability.Slot]:
    """Free slots of the motif: every agenda's own in the day view by agenda (a column each), otherwise one
    per start (the first agenda free, as the booking form assigns it)."""
    low, high = availability.utc(start), availability.utc(end)
    if not filters.by_agenda:
        members = [filters.member] if filters.member is not None else None
        return await availability.free_slots(ctx, motif, low, high, members=members)
    ids = await agendas.calendars(ctx)
    if filters.guichet is not None:
        ids = {k: v for k, v in ids.items() if k == (None, filters.guichet)}
    return [slot for _, slot in await availability.agenda_slots(ctx, motif, low, high, ids)]


def _layout(builder: Builder, now: datetime) -> Grid:
    filters, ctx = builder.filters, builder.ctx
    local_now = now.astimezone(ctx.tz)
    if filters.by_agenda:
        agendas = [a for a in builder.names if a in builder.agendas]
        columns = [(f"{a[0] or ''}:{a[1] or ''}", builder.names[a]) for a in agendas]
        columns = columns or [(filters.day.isoformat(), day_label(filters.day))]
        today = [key for key, _ in columns] if filters.day == local_now.date() else []
    else:
        busy = {i.column for i in builder.items if i.kind != "closed"}
        columns = [(d.isoformat(), day_label(d)) for d in filters.days
                   if d.weekday() < 5 or d.isoformat() in busy or filters.view == "day"]
        today = [local_now.date().isoformat()]
    return layout(columns, builder.items, now_columns=today, now_minute=local_now.hour * 60 + local_now.minute)

