"""Free-slot search over many calendars, and the first free slot without scanning the whole horizon."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from core.calendar.loading import load
from core.calendar.schemas import Slot
from core.calendar.sweep import free_slots
from core.errors import FieldError, NotFound, ValidationFailed

MAX_RANGE_DAYS = 366
FIRST_WINDOW_DAYS = 7


def _check(start: datetime, end: datetime, duration: int, seats: int, step: int | None,
           buffers: Sequence[int], calendar_ids: Sequence[int]) -> None:
    errors = []
    if start.tzinfo is None or end.tzinfo is None:
        errors.append(FieldError("start", "Les dates doivent préciser leur fuseau (ex. 2026-03-10T09:00:00+01:00)."))
    elif end <= start:
        errors.append(FieldError("end", "La fin de la période doit suivre son début."))
    elif end - start > timedelta(days=MAX_RANGE_DAYS):
        errors.append(FieldError("end", f"La période de recherche est limitée à {MAX_RANGE_DAYS} jours."))
    if not 1 <= duration <= 1440:
        errors.append(FieldError("duration", "La durée doit être comprise entre 1 et 1440 minutes."))
    if step is not None and not 1 <= step <= 1440:
        errors.append(FieldError("step", "Le pas doit être compris entre 1 et 1440 minutes."))
    if not 1 <= seats <= 10_000:
        errors.append(FieldError("seats", "Le nombre de places demandé doit être positif."))
    if any(not 0 <= b <= 1440 for b in buffers):
        errors.append(FieldError("buffer", "Les marges doivent être comprises entre 0 et 1440 minutes."))
    if not calendar_ids or len(calendar_ids) > 2000:
        errors.append(FieldError("calendar_ids", "Choisissez entre 1 et 2000 agendas."))
    if errors:
        raise ValidationFailed(errors[0].message if len(errors) == 1 else None, errors)


async def search_slots(organisation_id: int, calendar_ids: Iterable[int], start: datetime, end: datetime,
                       duration: int, *, step: int | None = None, buffer_before: int = 0, buffer_after: int = 0,
                       min_notice: int = 0, max_horizon: int | None = None, tags: Iterable[str] = (),
                       seats: int = 1, now: datetime | None = None) -> list[Slot]:
    """Free slots of `duration` minutes starting in [start, end − duration], ordered by calendar id then start.

    Minutes everywhere: `step` (grid, default the duration), buffers, `min_notice` and `max_horizon`
    (counted from `now`). Tags: an opening without tags serves any request, one with tags only requests
    whose tags it all has. A calendar id of another organisation answers NotFound."""
    ids = sorted({int(i) for i in calendar_ids})
    _check(start, end, duration, seats, step, (buffer_before, buffer_after, min_notice), ids)
    now_ts = int((now or datetime.now(UTC)).timestamp())
    earliest = max(int(start.timestamp()), now_ts + min_notice * 60)
    latest = int(end.timestamp()) - duration * 60
    if max_horizon is not None:
        latest = min(latest, now_ts + max_horizon * 60)
    return await _search(organisation_id, ids, earliest, latest, duration * 60, (step or duration) * 60,
                         buffer_before * 60, buffer_after * 60, frozenset(tags), seats)


async def _search(organisation_id: int, ids: list[int], earliest: int, latest: int, duration: int, step: int,
                  before: int, after: int, tags: frozenset[str], seats: int, must_exist: bool = True) -> list[Slot]:
    if latest < earliest:
        calendars = await load(organisation_id, ids, earliest, earliest)
        if must_exist and len(calendars) != len(ids):
            raise NotFound("Un des agendas demandés n'existe pas.")
        return []
    calendars = await load(organisation_id, ids, earliest, latest + duration, tags=tags,
                           busy_margin=max(before, after))
    if must_exist and len(calendars) != len(ids):
        raise NotFound("Un des agendas demandés n'existe pas.")
    out: list[Slot] = []
    append = out.append
    moments: dict[tuple[int, str], datetime] = {}
    for cid in ids:
        data = calendars[cid]
        zone = ZoneInfo(data.timezone)
        for t, remaining, location in free_slots(
            data.openings, data.closures, data.busy, duration=duration, step=step, before=before, after=after,
            seats=seats, earliest=earliest, latest=latest,
        ):
            s = moments.get((t, data.timezone))
            if s is None:
                s = moments[(t, data.timezone)] = datetime.fromtimestamp(t, zone)
            e = moments.get((t + duration, data.timezone))
            if e is None:
                e = moments[(t + duration, data.timezone)] = datetime.fromtimestamp(t + duration, zone)
            append(Slot(cid, s, e, remaining, location))
    return out


async def first_free_slot(organisation_id: int, calendar_ids: Iterable[int], duration: int, *,
                          start: datetime | None = None, step: int | None = None, buffer_before: int = 0,
                          buffer_after: int = 0, min_notice: int = 0, max_horizon: int = 92 * 24 * 60,
                          tags: Iterable[str] = (), seats: int = 1, now: datetime | None = None) -> Slot | None:
    """The earliest free slot across `calendar_ids` (ties: lowest calendar id), or None within the horizon.

    Searches a week, then windows twice as long each time, so a near slot costs one small search."""
    ids = sorted({int(i) for i in calendar_ids})
    now = now or datetime.now(UTC)
    start = start or now
    _check(start, start + timedelta(minutes=duration), duration, seats, step,
           (buffer_before, buffer_after, min_notice), ids)
    now_ts = int(now.timestamp())
    low = max(int(start.timestamp()), now_ts + min_notice * 60)
    horizon = now_ts + max_horizon * 60
    window = FIRST_WINDOW_DAYS * 86400
    while low <= horizon:
        high = min(low + window, horizon)
        slots = await _search(organisation_id, ids, low, high, duration * 60, (step or duration) * 60,
                              buffer_before * 60, buffer_after * 60, frozenset(tags), seats)
        if slots:
            return min(slots, key=lambda s: (s.start, s.calendar_id))
        low, window = high + 1, window * 2
    return None
