"""The free-slot sweep: pure functions over sorted integer intervals (any unit; the service uses seconds).

An opening occurrence [start, end) with a capacity offers slots on a grid aligned on its start. A slot
[t, t+duration) is free when its padded interval [t−before, t+duration+after) meets no closure and the
seats booked at every instant of it leave at least `seats` free; `remaining` is the lowest number of free
seats over that padded interval.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import Any

Opening = tuple[int, int, int, Any]  # start, end, capacity, payload (returned with each slot)
Interval = tuple[int, int]
Busy = tuple[int, int, int]  # start, end, seats


def merge(intervals: Iterable[Interval]) -> tuple[list[int], list[int]]:
    """Sorted disjoint intervals (touching ones merged) as two lists: starts, ends."""
    starts: list[int] = []
    ends: list[int] = []
    for s, e in sorted(intervals):
        if e <= s:
            continue
        if ends and s <= ends[-1]:
            if e > ends[-1]:
                ends[-1] = e
        else:
            starts.append(s)
            ends.append(e)
    return starts, ends


def load_profile(busy: Iterable[Busy]) -> tuple[list[int], list[int]]:
    """The booked-seats step function: level[i] holds on [points[i], points[i+1]) (0 before points[0])."""
    deltas: dict[int, int] = {}
    for s, e, seats in busy:
        if e > s and seats:
            deltas[s] = deltas.get(s, 0) + seats
            deltas[e] = deltas.get(e, 0) - seats
    points: list[int] = []
    levels: list[int] = []
    level = 0
    for point in sorted(deltas):
        level += deltas[point]
        if points and levels[-1] == level:
            continue
        points.append(point)
        levels.append(level)
    return points, levels


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


def free_slots(openings: Iterable[Opening], closures: Iterable[Interval], busy: Iterable[Busy], *,
               duration: int, step: int | None = None, before: int = 0, after: int = 0, seats: int = 1,
               earliest: int | None = None, latest: int | None = None) -> list[tuple[int, int, Any]]:
    """Free slots (start, remaining seats, payload) sorted by start, one per start time.

    `earliest`/`latest` bound the slot start (minimum notice, horizon, search range)."""
    if duration <= 0:
        raise ValueError("duration must be positive")
    step = step or duration
    closed_starts, closed_ends = merge(closures)
    points, levels = load_profile(busy)
    n_closed = len(closed_ends)
    out: list[tuple[int, int, Any]] = []
    previous_end = None
    overlapping = False
    for o_start, o_end, capacity, payload in sorted(openings, key=lambda o: o[0]):
        if previous_end is not None and o_start < previous_end:
            overlapping = True
        previous_end = o_end if previous_end is None else max(previous_end, o_end)
        if capacity < seats:
            continue
        t = o_start
        if earliest is not None and t < earliest:
            t = o_start + -(-(earliest - o_start) // step) * step
        last_start = o_end - duration
        if latest is not None and latest < last_start:
            last_start = latest
        while t <= last_start:
            a = t - before
            b = t + duration + after
            if n_closed:
                i = bisect_right(closed_ends, a)
                if i < n_closed and closed_starts[i] < b:
                    t = o_start + -(-(closed_ends[i] + before - o_start) // step) * step
                    continue
            remaining = capacity - peak(points, levels, a, b) if points else capacity
            if remaining >= seats:
                out.append((t, remaining, payload))
            t += step
    if overlapping:
        best: dict[int, tuple[int, int, Any]] = {}
        for slot in out:
            kept = best.get(slot[0])
            if kept is None or slot[1] > kept[1]:
                best[slot[0]] = slot
        out = [best[k] for k in sorted(best)]
    return out
