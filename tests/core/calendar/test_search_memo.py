"""The search memoises each calendar's sweep on its content: a repeated search sweeps again only the calendars
whose bookings, closures or openings changed, and never answers from a stale sweep. Capacity runs merge."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from core import calendar as cal
from core.calendar import search
from tests.core.calendar.factories import weekly_calendar

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 1, 1, tzinfo=UTC)
WEEK = (datetime(2026, 3, 2, tzinfo=PARIS), datetime(2026, 3, 7, tzinfo=PARIS))


def starts(slots, calendar_id):
    return [s.start.strftime("%d %H:%M") for s in slots if s.calendar_id == calendar_id]


async def test_a_repeated_search_sweeps_again_only_what_changed(make_org):
    org = await make_org()
    agenda = await weekly_calendar(org, start="09:00", end="10:00")
    other = await weekly_calendar(org, name="Autre", start="09:00", end="10:00")
    ids = [agenda.id, other.id]
    search._swept.clear()
    first = await cal.search_slots(org.organisation_id, ids, *WEEK, 30, now=NOW)
    assert len(search._swept) == 2 and "02 09:00" in starts(first, agenda.id)
    again = await cal.search_slots(org.organisation_id, ids, *WEEK, 30, now=NOW)
    assert again == first and len(search._swept) == 2  # nothing changed: no new sweep

    booked = await cal.book(org.organisation_id, agenda.id, datetime(2026, 3, 2, 9, tzinfo=PARIS),
                            datetime(2026, 3, 2, 9, 30, tzinfo=PARIS))
    after = await cal.search_slots(org.organisation_id, ids, *WEEK, 30, now=NOW)
    assert len(search._swept) == 3  # only the booked calendar swept again
    assert "02 09:00" not in starts(after, agenda.id) and starts(after, other.id) == starts(first, other.id)
    compact = await cal.search_slot_runs(org.organisation_id, ids, *WEEK, 30, now=NOW)
    assert compact.calendars[str(agenda.id)][0][0] == datetime(2026, 3, 2, 9, 30, tzinfo=PARIS)

    await cal.cancel(org.organisation_id, booked.id)
    assert await cal.search_slots(org.organisation_id, ids, *WEEK, 30, now=NOW) == first
    await cal.add_closure(org.organisation_id, org.office_id, cal.ClosureIn(first_date=date(2026, 3, 3),
                                                                            reason="Inventaire"))
    closed = await cal.search_slots(org.organisation_id, ids, *WEEK, 30, now=NOW)
    assert not [s for s in closed if s.start.day == 3]
    search._swept.clear()
    assert await cal.search_slots(org.organisation_id, ids, *WEEK, 30, now=NOW) == closed


async def test_compact_runs_of_a_shared_calendar_merge_starts_with_the_same_seats_left(make_org):
    org = await make_org()
    shared = await weekly_calendar(org, capacity=3, byday="MO", start="09:00", end="11:00")
    await cal.book(org.organisation_id, shared.id, datetime(2026, 3, 2, 10, tzinfo=PARIS),
                   datetime(2026, 3, 2, 10, 30, tzinfo=PARIS))
    compact = await cal.search_slot_runs(org.organisation_id, [shared.id], *WEEK, 30, now=NOW)
    assert [(start.strftime("%H:%M"), step, count, left) for start, step, count, left, _ in
            compact.calendars[str(shared.id)]] == [("09:00", 30, 2, 3), ("10:00", 30, 1, 2), ("10:30", 30, 1, 3)]
