"""The sweep finds exactly the free slots a minute-by-minute check finds: buffers, capacity, closures,
adjacent and overlapping bookings."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.calendar.sweep import Busy, add_interval, free_slots, load_profile, merge, peak

pytestmark = pytest.mark.nodb


def brute_force(openings, closures, busy, duration, step, before, after, seats, earliest, latest):
    """Minute by minute: every grid start of every opening, every minute of its padded interval."""
    best = {}
    for o_start, o_end, capacity, payload in openings:
        t = o_start
        while t + duration <= o_end:
            ok = (earliest is None or t >= earliest) and (latest is None or t <= latest)
            lowest = capacity
            for minute in range(t - before, t + duration + after):
                if any(cs <= minute < ce for cs, ce in closures):
                    ok = False
                booked = sum(seats_ for bs, be, seats_ in busy if bs <= minute < be)
                lowest = min(lowest, capacity - booked)
            if ok and lowest >= seats and (t not in best or lowest > best[t][1]):
                best[t] = (t, lowest, payload)
            t += step
    return [best[k] for k in sorted(best)]


def test_adjacent_bookings_leave_the_gap_between_them():
    slots = free_slots([(0, 120, 1, "A")], [], Busy.of([(0, 30, 1), (60, 90, 1)]), duration=30)
    assert [s[0] for s in slots] == [30, 90]


def test_buffers_keep_distance_from_bookings():
    slots = free_slots([(0, 180, 1, None)], [], Busy.of([(60, 90, 1)]), duration=30, before=15, after=15)
    assert [s[0] for s in slots] == [0, 120, 150]


def test_capacity_counts_overlapping_bookings_at_their_peak():
    busy = Busy.of([(0, 60, 1), (30, 90, 2), (45, 50, 1)])
    slots = free_slots([(0, 120, 5, None)], [], busy, duration=30)
    assert slots == [(0, 4, None), (30, 1, None), (60, 3, None), (90, 5, None)]
    assert free_slots([(0, 120, 5, None)], [], busy, duration=30, seats=2) == [(0, 4, None), (60, 3, None),
                                                                             (90, 5, None)]


def test_closure_jumps_to_the_next_grid_point():
    slots = free_slots([(0, 240, 1, None)], [(50, 70, 0)[:2]], Busy.of([]), duration=30, step=15)
    assert [s[0] for s in slots] == [0, 15, 75, 90, 105, 120, 135, 150, 165, 180, 195, 210]


def test_grid_is_aligned_on_the_opening_start_and_notice():
    slots = free_slots([(10, 100, 1, None)], [], Busy.of([]), duration=20, earliest=31, latest=70)
    assert [s[0] for s in slots] == [50, 70]


def test_helpers():
    assert merge([(5, 10), (0, 5), (20, 30), (25, 26)]) == ([0, 20], [10, 30])
    assert merge([(0, 10), (10, 10), (3, 4), (12, 15)]) == ([0, 12], [10, 15])
    starts, ends = [0, 12, 20], [10, 15, 25]
    add_interval(starts, ends, 10, 13)
    add_interval(starts, ends, 16, 17)
    add_interval(starts, ends, 30, 30)
    assert (starts, ends) == ([0, 16, 20], [15, 17, 25])
    points, levels = load_profile(Busy.of([(0, 10, 1), (10, 20, 1), (5, 10, 2)]))
    assert peak(points, levels, 5, 15) == 3 and peak(points, levels, 10, 15) == 1
    assert peak(points, levels, 20, 30) == 0 and peak(points, levels, -5, 0) == 0


interval = st.tuples(st.integers(0, 300), st.integers(1, 90)).map(lambda t: (t[0], t[0] + t[1]))


@settings(max_examples=400, deadline=None)
@given(
    openings=st.lists(st.tuples(interval, st.integers(1, 4)), min_size=1, max_size=3),
    closures=st.lists(interval, max_size=3),
    busy=st.lists(st.tuples(interval, st.integers(1, 3)), max_size=8),
    duration=st.integers(1, 40), step=st.none() | st.integers(1, 30),
    before=st.integers(0, 15), after=st.integers(0, 15), seats=st.integers(1, 3),
    earliest=st.none() | st.integers(0, 200), horizon=st.none() | st.integers(0, 200),
)
def test_sweep_matches_minute_by_minute_reference(openings, closures, busy, duration, step, before, after, seats,
                                                  earliest, horizon):
    ops = [(s, e, cap, f"o{s}") for (s, e), cap in openings]
    bookings = [(s, e, n) for (s, e), n in busy]
    latest = None if horizon is None else (earliest or 0) + horizon
    got = free_slots(ops, closures, Busy.of(bookings), duration=duration, step=step, before=before, after=after,
                     seats=seats, earliest=earliest, latest=latest)
    want = brute_force(ops, closures, bookings, duration, step or duration, before, after, seats, earliest, latest)
    assert [(s, r) for s, r, _ in got] == [(s, r) for s, r, _ in want]
