"""The planning grid's geometry (pure): the visible hours come from what is shown (08:00–19:00 otherwise),
blocks get a top offset and a height in % of those hours, overlapping appointments sit side by side,
closures are clipped, unknown columns dropped, and the now line only shows on today within the hours."""

import pytest

from plugins.rdv_service_public.services.grid import Item, lanes, layout, visible_hours

pytestmark = pytest.mark.nodb


def h(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def test_visible_hours_default_and_rounded_out_to_whole_hours():
    assert visible_hours([]) == (h("08:00"), h("19:00"))
    assert visible_hours([Item("d", h("09:15"), h("11:45"), "opening")]) == (h("09:00"), h("12:00"))
    assert visible_hours([Item("d", h("09:00"), h("12:00"), "opening"),
                          Item("d", h("18:30"), h("19:10"), "rdv")]) == (h("09:00"), h("20:00"))


def test_closures_do_not_widen_the_hours_and_are_clipped():
    grid = layout([("mon", "Lundi")], [Item("mon", h("09:00"), h("12:00"), "opening"),
                                       Item("mon", 0, 24 * 60, "closed", ("Formation",))])
    assert (grid.start, grid.end, grid.rows) == (h("09:00"), h("12:00"), 12)
    [opening, closed] = sorted(grid.columns[0].background, key=lambda b: b.item.kind, reverse=True)
    assert (closed.item.start, closed.item.end, closed.top, closed.height) == (h("09:00"), h("12:00"), 0, 100)
    assert (opening.top, opening.height) == (0, 100)
    assert [label for label, _ in grid.hours] == ["09:00", "10:00", "11:00", "12:00"]
    assert [top for _, top in grid.hours] == [0, 33.333, 66.667, 100]


def test_blocks_are_placed_at_their_start_with_a_height_for_their_duration():
    grid = layout([("mon", "Lundi"), ("tue", "Mardi")], [
        Item("mon", h("09:00"), h("12:00"), "opening"),
        Item("tue", h("10:00"), h("10:30"), "rdv", ("10:00 Léa",)),
        Item("sun", h("07:00"), h("07:30"), "rdv", ("dropped",))])
    monday, tuesday = grid.columns
    assert monday.blocks == [] and monday.key == "mon"
    [block] = tuesday.blocks
    assert (block.top, block.height, block.left, block.width) == (33.333, 16.667, 0, 100)
    assert block.time_label == "10:00–10:30"
    assert block.style.startswith("top:33.333%;height:16.667%;left:0")
    assert grid.start == h("09:00")  # the item of an unknown column did not widen the hours


def test_overlapping_items_share_the_width_in_lanes():
    a, b, c = (Item("d", h("09:00"), h("10:00"), "rdv"), Item("d", h("09:30"), h("10:30"), "rdv"),
               Item("d", h("10:00"), h("11:00"), "slot"))
    alone = Item("d", h("11:00"), h("11:30"), "rdv")
    placed = {item: (lane, count) for item, lane, count in lanes([alone, c, b, a])}
    assert placed == {a: (0, 2), b: (1, 2), c: (0, 2), alone: (0, 1)}
    grid = layout([("d", "Lundi")], [a, b, c, alone])
    assert [(blk.left, blk.width) for blk in grid.columns[0].blocks] == [(0, 50), (50, 50), (0, 50), (0, 100)]
    assert grid.max_lanes == 2  # the page widens its columns so each lane keeps ~9.5rem of text
    third = Item("d", h("09:45"), h("10:15"), "rdv")
    assert layout([("d", "Lundi")], [a, b, third]).max_lanes == 3
    assert layout([("d", "Lundi")], []).max_lanes == 1


def test_overlapping_openings_merge_into_one_background():
    grid = layout([("d", "Lundi")], [Item("d", h("09:00"), h("12:00"), "opening", ("Ouvert",)),
                                     Item("d", h("11:00"), h("13:00"), "opening", ("Ouvert",)),
                                     Item("d", h("14:00"), h("17:00"), "opening", ("Ouvert",))])
    assert [(b.item.start, b.item.end) for b in grid.columns[0].background] == [(h("09:00"), h("13:00")),
                                                                               (h("14:00"), h("17:00"))]


def test_now_line_only_on_today_inside_the_hours():
    columns = [("mon", "Lundi"), ("tue", "Mardi")]
    grid = layout(columns, [], now_columns=["tue"], now_minute=h("13:30"))
    assert [c.now for c in grid.columns] == [None, 50]
    assert [c.now for c in layout(columns, [], now_columns=["tue"], now_minute=h("20:00")).columns] == [None, None]
