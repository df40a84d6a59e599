"""Property tests: random book / move / cancel / first_free_slot around every DST change of 2026–2030 (Paris)
against a brute-force model of occupancy. Times are drawn as instants (read back as local datetimes with
their fold) or as wall clocks with a random fold (some skipped by the March jump, some ambiguous in
October). After every operation: the stored bookings are the model's, and no instant is above capacity."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import calendar as cal
from core.calendar.instants import does_not_exist
from core.errors import ValidationFailed

PARIS = ZoneInfo("Europe/Paris")
QUARTER = 900


def _changes() -> list[int]:
    """UTC instants of every offset change in Paris, 2026–2030."""
    out = []
    t = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp())
    end = int(datetime(2031, 1, 1, tzinfo=UTC).timestamp())
    previous = datetime.fromtimestamp(t, PARIS).utcoffset()
    while t < end:
        t += 3600
        offset = datetime.fromtimestamp(t, PARIS).utcoffset()
        if offset != previous:
            out.append(t)
            previous = offset
    return out


CHANGES = _changes()
assert len(CHANGES) == 10

moment = st.builds(lambda change, quarters: change + quarters * QUARTER, st.sampled_from(CHANGES),
                   st.integers(-16, 16))


@st.composite
def local_time(draw: st.DrawFn, ts: int) -> datetime:
    """The instant as a Paris datetime, or the same wall clock shifted by a random hour with a random fold
    (which may not exist, or be ambiguous)."""
    exact = datetime.fromtimestamp(ts, PARIS)
    if draw(st.booleans()):
        return exact
    naive = exact.replace(tzinfo=None) + timedelta(hours=draw(st.integers(-1, 1)))
    return naive.replace(tzinfo=PARIS, fold=draw(st.integers(0, 1)))


@st.composite
def operations(draw: st.DrawFn) -> list[tuple]:
    ops = []
    for _ in range(draw(st.integers(1, 7))):
        kind = draw(st.sampled_from(["book", "book", "book", "move", "cancel", "first"]))
        target = draw(st.integers(0, 1))
        start = draw(moment)
        length = draw(st.sampled_from([QUARTER, 2 * QUARTER, 4 * QUARTER, 8 * QUARTER, -2 * QUARTER]))
        ops.append((kind, target, draw(local_time(start)), draw(local_time(start + length)),
                    draw(st.integers(1, 2)), draw(st.integers(0, 9))))
    return ops


@dataclass
class Model:
    capacity: int
    bookings: dict[int, tuple[int, int, int]] = field(default_factory=dict)  # id -> start, end, seats

    def peak(self, s: int, e: int, exclude: int | None = None) -> int:
        live = [(bs, be, n) for i, (bs, be, n) in self.bookings.items() if i != exclude]
        points = {s, *(bs for bs, _, _ in live if s <= bs < e)}
        return max((sum(n for bs, be, n in live if bs <= p < be) for p in points), default=0)


def local_day_opening(day: date) -> tuple[int, int]:
    """The all-day opening of a local date: its midnight to the next one (23, 24 or 25 real hours)."""
    start = datetime(day.year, day.month, day.day, tzinfo=PARIS)
    return int(start.timestamp()), int((start + timedelta(days=1)).timestamp())  # wall-clock day, then instants


def day_opening(ts: int) -> tuple[int, int]:
    """The all-day opening holding instant `ts`."""
    return local_day_opening(datetime.fromtimestamp(ts, PARIS).date())


def expected_instants(start: datetime, end: datetime) -> tuple[int, int] | None:
    if does_not_exist(start) or does_not_exist(end):
        return None
    s, e = int(start.timestamp()), int(end.timestamp())
    return (s, e) if 0 < e - s <= 86400 else None


def model_first_free(model: Model, low: int, high: int, duration: int) -> int | None:
    best = None
    first_day = datetime.fromtimestamp(low, PARIS).date()
    for day in range(-1, 2):
        o_start, o_end = local_day_opening(first_day + timedelta(days=day))
        for t in range(o_start, o_end - duration + 1, duration):
            if low <= t <= high and model.peak(t, t + duration) + 1 <= model.capacity:
                best = t if best is None else min(best, t)
                break
    return best


async def stored(org, calendar_id: int) -> dict[int, tuple[int, int, int]]:
    found = await cal.bookings_between(org.organisation_id, [calendar_id], datetime(2025, 12, 1, tzinfo=UTC),
                                       datetime(2031, 2, 1, tzinfo=UTC))
    return {b.id: (int(b.start.timestamp()), int(b.end.timestamp()), b.seats) for b in found}


def above_capacity(bookings: dict[int, tuple[int, int, int]], capacity: int) -> bool:
    return any(sum(n for s, e, n in bookings.values() if s <= p < e) > capacity
               for p, _, _ in bookings.values())


@pytest.fixture
async def org(make_org):
    return await make_org()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(ops=operations())
async def test_operations_around_dst_changes_match_the_model_and_never_overbook(org, ops):
    calendars, models = [], []
    for capacity in (1, 2):
        agenda = await cal.create_calendar(org.organisation_id, org.office_id, f"Agenda {capacity}",
                                           capacity=capacity, closed_on_public_holidays=False)
        await cal.add_opening_rule(org.organisation_id, agenda.id, cal.RuleIn(
            start="00:00", end="24:00", first_date=date(2025, 12, 1), freq="DAILY"))
        calendars.append(agenda.id)
        models.append(Model(capacity))
    for kind, target, start, end, seats, pick in ops:
        calendar_id, model = calendars[target], models[target]
        span = expected_instants(start, end)
        if kind == "book":
            fits = span is not None and model.peak(*span) + seats <= model.capacity
            try:
                booked = await cal.book(org.organisation_id, calendar_id, start, end, seats=seats,
                                        allow_outside_hours=True)
            except ValidationFailed:
                assert span is None, (start, end)
            except cal.SlotTaken:
                assert span is not None and not fits, (start, end, model.bookings)
            else:
                assert span is not None and fits, (start, end, model.bookings)
                assert (int(booked.start.timestamp()), int(booked.end.timestamp())) == span
                o_start, o_end = day_opening(span[0])
                assert booked.outside_hours == (not (o_start <= span[0] and span[1] <= o_end))
                model.bookings[booked.id] = (*span, seats)
        elif kind == "move" and model.bookings:
            booking_id = sorted(model.bookings)[pick % len(model.bookings)]
            taken = model.bookings[booking_id][2]
            fits = span is not None and model.peak(*span, exclude=booking_id) + taken <= model.capacity
            try:
                await cal.move(org.organisation_id, booking_id, start, end, allow_outside_hours=True)
            except ValidationFailed:
                assert span is None
            except cal.SlotTaken:
                assert span is not None and not fits
            else:
                assert span is not None and fits
                model.bookings[booking_id] = (*span, taken)
        elif kind == "cancel" and model.bookings:
            booking_id = sorted(model.bookings)[pick % len(model.bookings)]
            await cal.cancel(org.organisation_id, booking_id)
            del model.bookings[booking_id]
        elif kind == "first":
            low = int(datetime.fromtimestamp(start.timestamp(), UTC).timestamp())
            duration = (pick % 4 + 1) * QUARTER
            found = await cal.first_free_slot(org.organisation_id, calendars, duration // 60,
                                              start=datetime.fromtimestamp(low, PARIS),
                                              now=datetime.fromtimestamp(low, UTC), max_horizon=6 * 60)
            wanted = [(t, cid) for cid, m in zip(calendars, models, strict=True)
                      if (t := model_first_free(m, low, low + 6 * 3600, duration)) is not None]
            got = None if found is None else (int(found.start.timestamp()), found.calendar_id)
            assert got == (min(wanted) if wanted else None), (low, duration, models)
        for calendar_id, model in zip(calendars, models, strict=True):
            assert await stored(org, calendar_id) == model.bookings
            assert not above_capacity(model.bookings, model.capacity)
