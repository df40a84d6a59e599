"""The planning grid's geometry, pure: from items placed in columns (minutes since local midnight) to blocks
with a top offset and a height in percent of the visible hours, side-by-side lanes for overlapping
appointments and free slots, hour marks and the "now" line. No database, no time zone: callers convert."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

DEFAULT_HOURS = (8 * 60, 19 * 60)  # 08:00–19:00 when nothing says otherwise
ROW_MINUTES = 15
FOREGROUND = ("rdv", "slot")  # items in lanes; the others ("opening", "closed") are background
SPANNING = ("rdv", "slot", "opening")  # items that widen the visible hours (closures are only clipped)


def hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


@dataclass(frozen=True, slots=True)
class Item:
    """Something between two minutes of one column's day: an appointment, a free slot, an opening, a closure."""

    column: str
    start: int
    end: int
    kind: str
    lines: tuple[str, ...] = ()  # the visible text, one line each (the first one always shown)
    title: str = ""
    href: str = ""
    color: str = ""
    css: str = ""  # extra class names (e.g. the appointment's status)


@dataclass(frozen=True, slots=True)
class Block:
    item: Item
    top: float  # % of the column's height
    height: float
    left: float = 0.0  # % of the column's width (lanes)
    width: float = 100.0

    @property
    def time_label(self) -> str:
        return f"{hhmm(self.item.start)}–{hhmm(self.item.end)}"

    @property
    def style(self) -> str:
        out = f"top:{self.top}%;height:{self.height}%"
        if self.item.kind in FOREGROUND:
            out += f";left:{self.left}%;width:{self.width}%"
        return out + (f";--c:{self.item.color}" if self.item.color else "")


@dataclass(slots=True)
class Column:
    key: str
    label: str
    background: list[Block] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    now: float | None = None  # top (%) of the "now" line when the column is today and now is visible


@dataclass(frozen=True, slots=True)
class Grid:
    start: int
    end: int
    hours: list[tuple[str, float]]  # ("09:00", top %)
    columns: list[Column]

    @property
    def rows(self) -> int:
        return (self.end - self.start) // ROW_MINUTES

    @property
    def has_openings(self) -> bool:
        """Whether any opening hours show: without them no free slot exists (the page says why)."""
        return any(b.item.kind == "opening" for c in self.columns for b in c.background)

    @property
    def max_lanes(self) -> int:
        """The most side-by-side blocks in any column: columns widen so each lane keeps a readable width."""
        widths = [b.width for c in self.columns for b in c.blocks if b.width > 0]
        return max((round(100 / w) for w in widths), default=1)


def visible_hours(items: Iterable[Item], default: tuple[int, int] = DEFAULT_HOURS) -> tuple[int, int]:
    """Whole hours covering the openings, appointments and free slots shown; `default` when there are none."""
    spans = [(i.start, i.end) for i in items if i.kind in SPANNING and i.end > i.start]
    if not spans:
        return default
    low = min(s for s, _ in spans) // 60 * 60
    high = -(-max(e for _, e in spans) // 60) * 60
    return low, min(high, 24 * 60)


def _percent(minutes: int, span: int) -> float:
    return round(minutes * 100 / span, 3)


def lanes(items: Sequence[Item]) -> list[tuple[Item, int, int]]:
    """(item, lane, lanes in its cluster): overlapping items side by side, each cluster of overlaps as
    narrow as it needs (greedy first free lane, items sorted by start then longest first)."""
    out: list[tuple[Item, int, int]] = []
    cluster: list[tuple[Item, int]] = []
    ends: list[int] = []  # end of the last item of each lane in the current cluster
    cluster_end = -1
    for item in sorted(items, key=lambda i: (i.start, -i.end)):
        if item.start >= cluster_end and cluster:
            out += [(i, lane, len(ends)) for i, lane in cluster]
            cluster, ends = [], []
        lane = next((n for n, end in enumerate(ends) if end <= item.start), len(ends))
        if lane == len(ends):
            ends.append(item.end)
        else:
            ends[lane] = item.end
        cluster.append((item, lane))
        cluster_end = max(cluster_end, item.end) if len(cluster) > 1 else item.end
    out += [(i, lane, len(ends)) for i, lane in cluster]
    return out


def _merge(items: Iterable[Item]) -> list[Item]:
    """Overlapping background items of the same kind and text become one (no darker overlaps)."""
    out: list[Item] = []
    for item in sorted(items, key=lambda i: (i.kind, i.lines, i.start)):
        last = out[-1] if out else None
        if last and last.kind == item.kind and last.lines == item.lines and item.start <= last.end:
            out[-1] = Item(last.column, last.start, max(last.end, item.end), last.kind, last.lines, last.title,
                           css=last.css)
        else:
            out.append(item)
    return out


def layout(columns: Sequence[tuple[str, str]], items: Iterable[Item], *, now_columns: Iterable[str] = (),
           now_minute: int | None = None, default: tuple[int, int] = DEFAULT_HOURS) -> Grid:
    """The grid of `columns` ((key, heading) in order) with `items` placed in them (items of unknown
    columns are dropped, the rest clipped to the visible hours), and the now line on `now_columns`."""
    wanted = {key for key, _ in columns}
    kept = [i for i in items if i.column in wanted]
    start, end = visible_hours(kept, default)
    span = end - start
    out = {key: Column(key, label) for key, label in columns}
    clipped = [Item(i.column, max(i.start, start), min(i.end, end), i.kind, i.lines, i.title, i.href, i.color,
                    i.css) for i in kept]
    clipped = [i for i in clipped if i.end > i.start]
    for key, column in out.items():
        mine = [i for i in clipped if i.column == key]
        column.background = [Block(i, _percent(i.start - start, span), _percent(i.end - i.start, span))
                             for i in _merge(i for i in mine if i.kind not in FOREGROUND)]
        column.blocks = [Block(i, _percent(i.start - start, span), _percent(i.end - i.start, span),
                               round(lane * 100 / count, 3), round(100 / count, 3))
                         for i, lane, count in lanes([i for i in mine if i.kind in FOREGROUND])]
        column.blocks.sort(key=lambda b: (b.item.start, b.left))
    if now_minute is not None and start <= now_minute <= end:
        for key in now_columns:
            if key in out:
                out[key].now = _percent(now_minute - start, span)
    hours = [(hhmm(minute), _percent(minute - start, span)) for minute in range(start, end + 1, 60)]
    return Grid(start, end, hours, [out[key] for key, _ in columns])
