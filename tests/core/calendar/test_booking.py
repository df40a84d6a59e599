"""Booking: capacity is never exceeded (also under concurrency and across processes), outside-hours
bookings need the caller's consent and are flagged, cancel and move keep history."""

import asyncio
import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from core import calendar as cal
from core.errors import Conflict, ValidationFailed
from tests.core.calendar.factories import weekly_calendar

PARIS = ZoneInfo("Europe/Paris")
ROOT = Path(__file__).resolve().parents[3]


def local(*args):
    return datetime(*args, tzinfo=PARIS)


async def attempts(org, calendar_id, n, start, end):
    async def one():
        try:
            await cal.book(org.organisation_id, calendar_id, start, end)
            return "ok"
        except cal.SlotTaken:
            return "taken"

    return await asyncio.gather(*(one() for _ in range(n)))


async def test_fifty_simultaneous_attempts_on_one_seat_give_exactly_one(make_org):
    org = await make_org()
    agenda = await weekly_calendar(org)
    results = await attempts(org, agenda.id, 50, local(2026, 3, 2, 9), local(2026, 3, 2, 9, 30))
    assert results.count("ok") == 1 and results.count("taken") == 49
    bookings = await cal.bookings_between(org.organisation_id, [agenda.id], local(2026, 3, 2), local(2026, 3, 3))
    assert len(bookings) == 1


async def test_hundred_attempts_on_a_twenty_seat_session_give_exactly_twenty(make_org):
    org = await make_org()
    agenda = await weekly_calendar(org, byday="TU", start="14:00", end="17:00", capacity=20)
    results = await attempts(org, agenda.id, 100, local(2026, 3, 3, 14), local(2026, 3, 3, 17))
    assert results.count("ok") == 20 and results.count("taken") == 80
    slots = await cal.search_slots(org.organisation_id, [agenda.id], local(2026, 3, 3), local(2026, 3, 4), 180)
    assert slots == []


CHILD = """
import asyncio, json, sys
from datetime import datetime
from core import calendar as cal, db

async def main(url, org, calendar_id, n, start, end):
    engine = db.create_engine(url)
    db.bind(engine, db.all_tables(db.app_configs()))
    async def one():
        try:
            await cal.book(org, calendar_id, datetime.fromisoformat(start), datetime.fromisoformat(end))
            return 1
        except cal.SlotTaken:
            return 0
    results = await asyncio.gather(*(one() for _ in range(n)))
    await db.stop(engine)
    print(json.dumps(sum(results)))

asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]))
"""


async def test_two_processes_cannot_overbook_together(make_org, settings):
    org = await make_org()
    agenda = await weekly_calendar(org, byday="TU", start="14:00", end="17:00", capacity=20)
    start, end = local(2026, 3, 3, 14).isoformat(), local(2026, 3, 3, 17).isoformat()
    command = [sys.executable, "-c", CHILD, settings.database_url, str(org.organisation_id), str(agenda.id), "30",
               start, end]
    processes = [await asyncio.create_subprocess_exec(*command, cwd=ROOT, stdout=subprocess.PIPE,
                                                      stderr=subprocess.PIPE) for _ in range(2)]
    outputs = [await p.communicate() for p in processes]
    assert all(p.returncode == 0 for p in processes), [o[1].decode()[-2000:] for o in outputs]
    successes = [json.loads(out.decode()) for out, _ in outputs]
    assert sum(successes) == 20
    booked = await cal.bookings_between(org.organisation_id, [agenda.id], local(2026, 3, 3), local(2026, 3, 4))
    assert sum(b.seats for b in booked) == 20


async def test_outside_hours_needs_consent_and_is_flagged(make_org):
    org = await make_org()
    agenda = await weekly_calendar(org, start="09:00", end="12:00")
    with pytest.raises(cal.OutsideHours) as error:
        await cal.book(org.organisation_id, agenda.id, local(2026, 3, 2, 11, 30), local(2026, 3, 2, 12, 30))
    assert error.value.status_code == 409 and "heures d'ouverture" in error.value.message
    booking = await cal.book(org.organisation_id, agenda.id, local(2026, 3, 2, 11, 30), local(2026, 3, 2, 12, 30),
                             allow_outside_hours=True)
    assert booking.outside_hours
    inside = await cal.book(org.organisation_id, agenda.id, local(2026, 3, 2, 9), local(2026, 3, 2, 10))
    assert not inside.outside_hours
    with pytest.raises(cal.SlotTaken):  # even outside hours, capacity holds
        await cal.book(org.organisation_id, agenda.id, local(2026, 3, 2, 12), local(2026, 3, 2, 13),
                       allow_outside_hours=True)


async def test_holiday_and_closure_count_as_outside_hours(make_org):
    org = await make_org()
    agenda = await weekly_calendar(org, first=date(2026, 4, 1))
    with pytest.raises(cal.OutsideHours):
        await cal.book(org.organisation_id, agenda.id, local(2026, 4, 6, 9), local(2026, 4, 6, 10))  # Easter Monday


async def test_capacity_message_says_how_many_seats_are_left(make_org):
    org = await make_org()
    agenda = await weekly_calendar(org, capacity=3)
    await cal.book(org.organisation_id, agenda.id, local(2026, 3, 2, 9), local(2026, 3, 2, 10), seats=2)
    with pytest.raises(cal.SlotTaken, match="il ne reste que 1 place"):
        await cal.book(org.organisation_id, agenda.id, local(2026, 3, 2, 9, 30), local(2026, 3, 2, 10), seats=2)
    adjacent = await cal.book(org.organisation_id, agenda.id, local(2026, 3, 2, 10), local(2026, 3, 2, 11), seats=3)
    assert adjacent.seats == 3


async def test_cancel_and_move_keep_history(make_org):
    org = await make_org()
    agenda = await weekly_calendar(org)
    first = await cal.book(org.organisation_id, agenda.id, local(2026, 3, 2, 9), local(2026, 3, 2, 10),
                           source_plugin="rdv_service_public", source_ref="R-1")
    second = await cal.book(org.organisation_id, agenda.id, local(2026, 3, 2, 10), local(2026, 3, 2, 11))
    with pytest.raises(cal.SlotTaken):
        await cal.move(org.organisation_id, second.id, local(2026, 3, 2, 9, 30), local(2026, 3, 2, 10, 30))
    moved = await cal.move(org.organisation_id, first.id, local(2026, 3, 3, 9), local(2026, 3, 3, 10))
    assert (moved.start, [h.action for h in moved.history]) == (local(2026, 3, 3, 9), ["booked", "moved"])
    assert moved.history[1].start == local(2026, 3, 2, 9)
    cancelled = await cal.cancel(org.organisation_id, second.id, reason="Empêchement")
    assert cancelled.status == "cancelled" and cancelled.history[-1].reason == "Empêchement"
    with pytest.raises(Conflict):
        await cal.cancel(org.organisation_id, second.id)
    again = await cal.book(org.organisation_id, agenda.id, local(2026, 3, 2, 10), local(2026, 3, 2, 11))
    assert again.id != second.id
    everything = await cal.bookings_between(org.organisation_id, [agenda.id], local(2026, 3, 1), local(2026, 3, 8),
                                            include_cancelled=True)
    assert [b.status for b in everything] == ["cancelled", "confirmed", "confirmed"]


@pytest.mark.parametrize("start,end,seats,field", [
    (datetime(2026, 3, 2, 9), datetime(2026, 3, 2, 10), 1, "start"),
    (local(2026, 3, 2, 10), local(2026, 3, 2, 9), 1, "end"),
    (local(2026, 3, 2, 9), local(2026, 3, 4, 9), 1, "end"),
    (local(2026, 3, 2, 9), local(2026, 3, 2, 10), 0, "seats")])
async def test_bad_booking_names_the_field_and_writes_nothing(make_org, start, end, seats, field):
    org = await make_org()
    agenda = await weekly_calendar(org)
    with pytest.raises(ValidationFailed) as error:
        await cal.book(org.organisation_id, agenda.id, start, end, seats=seats)
    assert error.value.errors[0].field == field
    assert await cal.bookings_between(org.organisation_id, [agenda.id], local(2026, 3, 1), local(2026, 3, 8),
                                      include_cancelled=True) == []
