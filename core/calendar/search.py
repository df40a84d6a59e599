"""Free-slot search over many calendars, and the first free slot without scanning the whole horizon."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from core.calendar import loading
from core.calendar.instants import instant, utc
from core.calendar.loading import CalendarData, load
from core.calendar.schemas import Slot, SlotRuns
from core.calendar.sweep import Run, free_runs
from core.errors import FieldError, NotFound, ValidationFailed

MAX_RANGE_DAYS = 366
MAX_NOTICE_MINUTES = 366 * 24 * 60
FIRST_WINDOW_DAYS = 1


def _check(start: datetime, end: datetime, duration: int, seats: int, step: int | None,
           buffers: Sequence[int], calendar_ids: Sequence[int]) -> tuple[int, int]:
    """The search's bounds as instants (UTC seconds), or ValidationFailed naming each bad field."""
    errors: list[FieldError] = []
    low, high = instant(start, "start", errors), instant(end, "end", errors)
    if low is not None and high is not None:
        if high <= low:
            errors.append(FieldError("end", "La fin de la période doit suivre son début."))
        elif high - low > MAX_RANGE_DAYS * 86400:
            errors.append(FieldError("end", f"La période de recherche est limitée à {MAX_RANGE_DAYS} jours."))
    if not 1 <= duration <= 1440:
        errors.append(FieldError("duration", "La durée doit être comprise entre 1 et 1440 minutes."))
    if step is not None and not 1 <= step <= 1440:
        errors.append(FieldError("step", "Le pas doit être compris entre 1 et 1440 minutes."))
    if not 1 <= seats <= 10_000:
        errors.append(FieldError("seats", "Le nombre de places demandé doit être positif."))
    for name, minutes in zip(("buffer_before", "buffer_after", "min_notice"), buffers, strict=False):
        if not 0 <= minutes <= (1440 if name != "min_notice" else MAX_NOTICE_MINUTES):
            errors.append(FieldError(name, "Les marges doivent être comprises entre 0 et 1440 minutes."
                                     if name != "min_notice" else "Le délai minimal doit être compris entre 0 "
                                     "minute et un an."))
    if not calendar_ids or len(calendar_ids) > 2000:
        errors.append(FieldError("calendar_ids", "Choisissez entre 1 et 2000 agendas."))
    if errors:
        raise ValidationFailed(errors[0].message if len(errors) == 1 else None, errors)
    assert low is not None and high is not None
    return low, high


async def search_slots(organisation_id: int, calendar_ids: Iterable[int], start: datetime, end: datetime,
                       duration: int, *, step: int | None = None, buffer_before: int = 0, buffer_after: int = 0,
                       min_notice: int = 0, max_horizon: int | None = None, tags: Iterable[str] = (),
                       seats: int = 1, now: datetime | None = None, offices: Iterable[int] | None = None,
                       one_per_start: bool = False) -> list[Slot]:
    """Free slots of `duration` minutes starting in [start, end − duration], ordered by calendar id then start.

    Minutes everywhere: `step` (grid, default the duration), buffers, `min_notice` and `max_horizon`
    (counted from `now`). Tags: an opening without tags serves any request, one with tags only requests
    whose tags it all has. A calendar id of another organisation (or outside `offices`, when given)
    answers NotFound. With `one_per_start`, a single slot per (start, location) — the first calendar of
    `calendar_ids`, in the order given, free then — ordered by start then location: what a booking page
    shows when any of the calendars will do."""
    query = _query(organisation_id, calendar_ids, start, end, duration, step, (buffer_before, buffer_after),
                   min_notice, max_horizon, tags, seats, now, offices, keep_order=one_per_start)
    return await (_one_per_start(query) if one_per_start else _search(query))


async def search_slot_runs(organisation_id: int, calendar_ids: Iterable[int], start: datetime, end: datetime,
                           duration: int, *, step: int | None = None, buffer_before: int = 0, buffer_after: int = 0,
                           min_notice: int = 0, max_horizon: int | None = None, tags: Iterable[str] = (),
                           seats: int = 1, now: datetime | None = None,
                           offices: Iterable[int] | None = None) -> SlotRuns:
    """The same search as `search_slots`, in its compact form (`SlotRuns`): the runs the sweep finds, never
    one object per slot (a month over 200 calendars: ~15 k runs instead of ~26 k slots, a tenth of the JSON)."""
    q = _query(organisation_id, calendar_ids, start, end, duration, step, (buffer_before, buffer_after), min_notice,
               max_horizon, tags, seats, now, offices)
    calendars: dict[str, list[tuple[datetime, int, int, int, str]]] = {}
    moments: dict[ZoneInfo, dict[int, datetime]] = {}  # one datetime per start, shared by the calendars' runs
    for cid, zone, swept in await _runs(q):
        if swept.compact is None:
            swept.compact = _compact(swept.runs, zone, moments.setdefault(zone, {}))
        calendars[str(cid)] = list(swept.compact)
    return SlotRuns(duration=duration, calendars=calendars)


def _compact(runs: list[Run], zone: ZoneInfo, known: dict[int, datetime]) -> list[tuple[datetime, int, int, int, str]]:
    out = []
    append = out.append
    for starts, remaining, location in runs:
        if not starts:
            continue
        first = starts.start
        moment = known.get(first)
        if moment is None:
            moment = known[first] = datetime.fromtimestamp(first, zone)
        append((moment, starts.step // 60, len(starts), remaining, location))
    return out


def _query(organisation_id: int, calendar_ids: Iterable[int], start: datetime, end: datetime, duration: int,
           step: int | None, buffers: tuple[int, int], min_notice: int, max_horizon: int | None,
           tags: Iterable[str], seats: int, now: datetime | None, offices: Iterable[int] | None,
           keep_order: bool = False) -> _Query:
    """The validated search (ValidationFailed naming each bad field), in seconds since the epoch."""
    ids = list(dict.fromkeys(int(i) for i in calendar_ids))
    if not keep_order:
        ids.sort()
    low, high = _check(start, end, duration, seats, step, (*buffers, min_notice), ids)
    now_ts = int((now or datetime.now(UTC)).timestamp())
    earliest = max(low, now_ts + min_notice * 60)
    latest = high - duration * 60
    if max_horizon is not None:
        latest = min(latest, now_ts + max_horizon * 60)
    return _Query(organisation_id, ids, earliest, latest, duration * 60, (step or duration) * 60, buffers[0] * 60,
                  buffers[1] * 60, frozenset(tags), seats, None if offices is None else frozenset(offices))


@dataclass(frozen=True, slots=True)
class _Query:
    """A validated search, in seconds since the epoch."""

    organisation_id: int
    ids: list[int]
    earliest: int
    latest: int
    duration: int
    step: int
    before: int
    after: int
    tags: frozenset[str]
    seats: int
    offices: frozenset[int] | None = None


async def _runs(q: _Query) -> Iterator[tuple[int, ZoneInfo, _Swept]]:
    """Per calendar (in `q.ids` order): its id, zone and free runs (with both forms of them, once made)."""
    latest = max(q.latest, q.earliest)
    calendars = await load(q.organisation_id, q.ids, q.earliest, latest + q.duration, tags=q.tags,
                           busy_margin=max(q.before, q.after), offices=q.offices)
    if len(calendars) != len(q.ids):
        raise NotFound("Un des agendas demandés n'existe pas.")
    if q.latest < q.earliest:
        return iter(())
    grid = (q.duration, q.step, q.before, q.after, q.seats, q.earliest, q.latest)
    return ((cid, _zone(data.timezone), _swept_of(cid, data, grid))
            for cid, data in ((i, calendars[i]) for i in q.ids))


class _Swept:
    """One calendar's free runs, and the slots (full form) and runs (compact form) made of them, once asked."""

    __slots__ = ("compact", "runs", "slots")

    def __init__(self, runs: list[Run]) -> None:
        self.runs = runs
        self.slots: list[Slot] | None = None
        self.compact: list[tuple[datetime, int, int, int, str]] | None = None


SWEEP_MEMO_SIZE = 1024
_swept: dict[tuple[Any, ...], _Swept] = {}


def forget_memos() -> None:
    """Empty the sweep memo and the rule expansion cache, as after a restart (benchmarks of a first search)."""
    _swept.clear()
    loading.forget_openings()


def _swept_of(cid: int, data: CalendarData, grid: tuple[int, ...]) -> _Swept:
    """One calendar's free runs. `free_runs` is a pure function of its inputs, so it is memoised on their
    content — the calendar's id and zone, its openings, closures and bookings themselves (as the database
    handed them over: one JSON text per column on SQLite, left undecoded on a hit), not where they came from —
    and a search repeated over the same days reruns the sweep (and builds slots) only for the calendars whose
    openings, closures or bookings changed. Oldest entries go first past SWEEP_MEMO_SIZE. What it holds is
    shared: callers copy the lists they hand out."""
    key = (cid, data.timezone, data.openings, tuple(data.closures), data.busy_key(), grid)
    swept = _swept.get(key)
    if swept is None:
        duration, step, before, after, seats, earliest, latest = grid
        swept = _Swept(free_runs(data.openings, data.closures, data.busy, duration=duration, step=step, before=before,
                                 after=after, seats=seats, earliest=earliest, latest=latest))
        if len(_swept) >= SWEEP_MEMO_SIZE:
            del _swept[next(iter(_swept))]
        _swept[key] = swept
    return swept


async def _search(q: _Query) -> list[Slot]:
    out: list[Slot] = []
    duration = q.duration
    moments: dict[ZoneInfo, dict[int, tuple[datetime, datetime]]] = {}  # (start, end) per start, shared by slots
    for cid, zone, swept in await _runs(q):
        if swept.slots is None:
            swept.slots = _slots(cid, swept.runs, duration, zone, moments.setdefault(zone, {}))
        out.extend(swept.slots)
    return out


def _slots(cid: int, runs: list[Run], duration: int, zone: ZoneInfo,
           known: dict[int, tuple[datetime, datetime]]) -> list[Slot]:
    out: list[Slot] = []
    append = out.append
    for starts, remaining, location in runs:
        for t in starts:
            pair = known.get(t)
            if pair is None:
                pair = known[t] = (datetime.fromtimestamp(t, zone), datetime.fromtimestamp(t + duration, zone))
            append(Slot(cid, pair[0], pair[1], remaining, location))
    return out


async def _one_per_start(q: _Query) -> list[Slot]:
    chosen: dict[tuple[int, str], tuple[int, int, ZoneInfo]] = {}
    for cid, zone, swept in await _runs(q):
        for starts, remaining, location in swept.runs:
            for t in starts:
                if (t, location) not in chosen:
                    chosen[(t, location)] = (cid, remaining, zone)
    slots = []
    for (t, location), (cid, remaining, zone) in sorted(chosen.items()):
        slots.append(Slot(cid, datetime.fromtimestamp(t, zone), datetime.fromtimestamp(t + q.duration, zone),
                          remaining, location))
    return slots


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


async def first_free_slot(organisation_id: int, calendar_ids: Iterable[int], duration: int, *,
                          start: datetime | None = None, step: int | None = None, buffer_before: int = 0,
                          buffer_after: int = 0, min_notice: int = 0, max_horizon: int = 92 * 24 * 60,
                          tags: Iterable[str] = (), seats: int = 1, now: datetime | None = None,
                          offices: Iterable[int] | None = None) -> Slot | None:
    """The earliest free slot across `calendar_ids` (ties: lowest calendar id), or None within the horizon.

    Searches one day, then windows twice as long each time, so a near slot costs one small search."""
    ids = sorted({int(i) for i in calendar_ids})
    now = now or datetime.now(UTC)
    start = start or now
    begin, _ = _check(start, utc(start) + timedelta(minutes=min(max(duration, 1), 1440)), duration, seats, step,
                      (buffer_before, buffer_after, min_notice), ids)
    now_ts = int(now.timestamp())
    low = max(begin, now_ts + min_notice * 60)
    horizon = now_ts + max_horizon * 60
    window = FIRST_WINDOW_DAYS * 86400
    while low <= horizon:
        high = min(low + window, horizon)
        slots = await _search(_Query(organisation_id, ids, low, high, duration * 60, (step or duration) * 60,
                                     buffer_before * 60, buffer_after * 60, frozenset(tags), seats,
                                     None if offices is None else frozenset(offices)))
        if slots:
            return min(slots, key=lambda s: (s.start.timestamp(), s.calendar_id))  # instants, not wall clocks
        low, window = high + 1, window * 2
    return None
