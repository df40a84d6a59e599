"""The free-slot sweep: pure functions over sorted integer intervals (any unit; the service uses seconds).

An opening occurrence [start, end) with a capacity offers slots on a grid aligned on its start. A slot
[t, t+duration) is free when its padded interval [t−before, t+duration+after) meets no closure and the
seats booked at every instant of it leave at least `seats` free; `remaining` is the lowest number of free
seats over that padded interval.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from itertools import accumulate, compress, repeat
from operator import ge, gt, itemgetter, le, lt, neg, sub
from typing import Any, NamedTuple

Opening = tuple[int, int, int, Any]  # start, end, capacity, payload (returned with each slot)
Interval = tuple[int, int]


class Busy(NamedTuple):
    """Bookings as three columns of the same length (what the database hands over, without a tuple per
    booking): starts, ends and seats, ideally sorted by start."""

    starts: list[int]
    ends: list[int]
    seats: list[int]

    @classmethod
    def of(cls, bookings: Iterable[tuple[int, int, int]]) -> Busy:
        rows = list(bookings)
        return cls(*(list(map(itemgetter(k), rows)) for k in range(3)))



def merge(intervals: Iterable[Sequence[int]]) -> tuple[list[int], list[int]]:
    """Sorted disjoint intervals (touching ones merged, empty ones dropped) as two lists: starts, ends."""
    intervals = list(intervals)
    return merge_columns(list(map(itemgetter(0), intervals)), list(map(itemgetter(1), intervals)))


def merge_columns(starts: list[int], ends: list[int]) -> tuple[list[int], list[int]]:
    """`merge` for intervals given as two columns. Written with C-level iterators (no Python loop per
    interval): it runs once per calendar over every booking of a search, usually already sorted."""
    if not all(map(le, starts, starts[1:])):
        order = sorted(range(len(starts)), key=starts.__getitem__)
        starts, ends = [starts[i] for i in order], [ends[i] for i in order]
    if any(map(ge, starts, ends)):
        kept = list(map(lt, starts, ends))
        starts, ends = list(compress(starts, kept)), list(compress(ends, kept))
    if not starts:
        return [], []
    if not all(map(le, ends, starts[1:])):  # some overlap: use the furthest end so far
        ends = list(accumulate(ends, max))
    new_island = list(map(gt, starts[1:], ends))
    return [starts[0], *compress(starts[1:], new_island)], [*compress(ends, new_island), ends[-1]]


def add_interval(starts: list[int], ends: list[int], start: int, end: int) -> None:
    """Insert [start, end) into merged intervals (in place), merging what it touches."""
    if end <= start:
        return
    i, j = bisect_left(ends, start), bisect_right(starts, end)
    if i < j:
        start, end = min(start, starts[i]), max(end, ends[j - 1])
    starts[i:j], ends[i:j] = [start], [end]


def load_profile(busy: Busy) -> tuple[list[int], list[int]]:
    """The booked-seats step function: level[i] holds on [points[i], points[i+1]) (0 before points[0]).

    A point may repeat (several bookings start or end at once); decrements sort first, so the level
    between two events at the same instant is never above the level that holds after them."""
    starts, ends, seats = busy
    events = sorted([*zip(starts, seats, strict=True), *zip(ends, map(neg, seats), strict=True)])
    return list(map(itemgetter(0), events)), list(accumulate(map(itemgetter(1), events)))


def peak(points: Sequence[int], levels: Sequence[int], a: int, b: int) -> int:
    """The highest level over [a, b)."""
    i = bisect_right(points, a) - 1
    best = levels[i] if i >= 0 else 0
    i += 1
    n = len(points)
    while i < n and points[i] < b:
        if levels[i] > best:
            best = levels[i]
        i += 1
    return best


Run = tuple[range, int, Any]  # slot starts, remaining seats, payload


def free_runs(openings: Iterable[Opening], closures: Iterable[Interval], busy: Busy, *,
              duration: int, step: int | None = None, before: int = 0, after: int = 0, seats: int = 1,
              earliest: int | None = None, latest: int | None = None) -> list[Run]:
    """The free slots as runs sorted by start: one `range` of starts per gap between blocked intervals
    (all with the same remaining seats), so the work is per gap, not per slot.

    `earliest`/`latest` bound the slot start (minimum notice, horizon, search range). Bookings must last
    and hold at least one seat (the booking service guarantees it)."""
    if duration <= 0:
        raise ValueError("duration must be positive")
    step = step or duration
    openings = sorted(openings, key=itemgetter(0))
    closures = list(closures)
    more_seats = bool(openings) and max(map(itemgetter(2), openings)) > seats
    points, levels = load_profile(busy) if more_seats else ([], [])
    low = -(1 << 62) if earliest is None else earliest
    high = 1 << 62 if latest is None else latest
    blocked_at: dict[int, tuple[list[int], list[int], list[int]]] = {}
    gap_lasts: list[int] = []
    resumes: list[int] = []
    ends: list[int] = []
    blocked_for = n = -1
    runs: list[Run] = []
    append = runs.append
    for o_start, o_end, capacity, payload in openings:
        last = o_end - duration
        if last > high:
            last = high
        t = o_start
        if t < low:
            t += -(-(low - t) // step) * step
        if t > last or capacity < seats:
            continue
        if capacity != blocked_for:
            blocked = blocked_at.get(capacity)
            if blocked is None:
                blocked = blocked_at[capacity] = _blocked(closures, busy, points, levels, capacity - seats,
                                                          duration, before, after)
            gap_lasts, resumes, ends = blocked
            blocked_for, n = capacity, len(ends)
        i = bisect_right(ends, t - before)
        while i < n:
            gap_last = gap_lasts[i]
            if gap_last >= last:
                break
            if gap_last >= t:
                append((range(t, gap_last + 1, step), capacity, payload))
            resume = resumes[i]
            if resume > t:
                t = o_start + (resume - o_start + step - 1) // step * step
            i += 1
        if t <= last:
            append((range(t, last + 1, step), capacity, payload))
    if points:  # where more than `seats` seats exist, what is left depends on the bookings around each slot
        runs = _seats_left(runs, points, levels, seats, duration + after, before)
    if not all(map(le, map(itemgetter(1), openings), map(itemgetter(0), openings[1:]))):
        runs = _best_per_start(runs)
    return runs


def _seats_left(runs: list[Run], points: list[int], levels: list[int], seats: int, reach: int,
                before: int) -> list[Run]:
    """Runs of calendars with more than `seats` seats, split where the seats left change: the lowest level
    over each start's padded window, read by an index that only moves forward along a run (the windows of a
    run's starts move forward too), consecutive starts with the same seats left kept in one range."""
    out: list[Run] = []
    append = out.append
    n = len(points)
    for starts, capacity, payload in runs:
        if capacity <= seats:
            append((starts, capacity, payload))
            continue
        step = starts.step
        first = current = -1
        i = bisect_right(points, starts.start - before) - 1
        for t in starts:
            a, b = t - before, t + reach
            while i + 1 < n and points[i + 1] <= a:
                i += 1
            best = levels[i] if i >= 0 else 0
            j = i + 1
            while j < n and points[j] < b:
                if levels[j] > best:
                    best = levels[j]
                j += 1
            left = capacity - best
            if left != current:
                if first >= 0:
                    append((range(first, t, step), current, payload))
                first, current = t, left
        if first >= 0:
            append((range(first, starts[-1] + 1, step), current, payload))
    return out


def _blocked(closures: list[Interval], busy: Busy, points: list[int], levels: list[int], threshold: int,
             duration: int, before: int, after: int) -> tuple[list[int], list[int], list[int]]:
    """Where no slot may touch: closures and the times booked above `threshold`, merged; with, per
    interval, the last slot start before it and the first padded start after it."""
    if threshold == 0:
        starts, ends = merge_columns(busy.starts, busy.ends)
    else:
        starts, ends = merge((s, e) for s, e, level in zip(points, points[1:], levels, strict=False)
                             if level > threshold)
    for closure in closures:
        add_interval(starts, ends, closure[0], closure[1])
    return list(map(sub, starts, repeat(duration + after))), [e + before for e in ends], ends


def _best_per_start(runs: list[Run]) -> list[Run]:
    """Overlapping openings: one slot per start, the one with the most seats left."""
    best: dict[int, tuple[int, Any]] = {}
    for starts, remaining, payload in runs:
        for t in starts:
            kept = best.get(t)
            if kept is None or remaining > kept[0]:
                best[t] = (remaining, payload)
    return [(range(t, t + 1), *best[t]) for t in sorted(best)]


def free_slots(openings: Iterable[Opening], closures: Iterable[Interval], busy: Busy, *,
               duration: int, step: int | None = None, before: int = 0, after: int = 0, seats: int = 1,
               earliest: int | None = None, latest: int | None = None) -> list[tuple[int, int, Any]]:
    """Free slots (start, remaining seats, payload) sorted by start, one per start time: `free_runs`
    spelt out."""
    runs = free_runs(openings, closures, busy, duration=duration, step=step, before=before, after=after,
                     seats=seats, earliest=earliest, latest=latest)
    return [(t, remaining, payload) for starts, remaining, payload in runs for t in starts]
