"""`book_first`, the public booking path: the first calendar (in the order given) whose opening serving the
tags holds the interval and has room; never outside the openings, closures or the past; never over capacity,
also with concurrent requests and across processes."""

import asyncio
import json
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from core import calendar as cal
from core.errors import ValidationFailed

PARIS = ZoneInfo("Europe/Paris")
ROOT = Path(__file__).resolve().parents[3]
NOW = datetime(2027, 1, 1, tzinfo=UTC)


def local(*args):
    return datetime(*args, tzinfo=PARIS)


async def agenda(org, name, start="09:00", end="12:00", tags=(), location="", capacity=1):
    created = await cal.create_calendar(org.organisation_id, org.office_id, name, capacity=capacity)
    await cal.add_opening_rule(org.organisation_id, created.id, cal.RuleIn(
        start=start, end=end, first_date=date(2027, 3, 1), freq="DAILY", tags=list(tags), location=location))
    return created.id


async def test_takes_the_first_free_serving_calendar_in_the_order_given(make_org):
    org = await make_org()
    other_motif = await agenda(org, "A", tags=["motif:2"], location="1")
    afternoon = await agenda(org, "B", start="14:00", end="17:00", tags=["motif:1"], location="1")
    second_place = await agenda(org, "C", tags=["motif:1"], location="2")
    first_place = await agenda(org, "D", tags=["motif:1"], location="1")
    order = [other_motif, afternoon, second_place, first_place]
    start, end = local(2027, 3, 2, 9), local(2027, 3, 2, 9, 30)
    booking, where = await cal.book_first(org.organisation_id, order, start, end, tags=["motif:1"], now=NOW)
    assert (booking.calendar_id, where, booking.outside_hours) == (second_place, "2", False)
    booking, where = await cal.book_first(org.organisation_id, order, start, end, tags=["motif:1"], now=NOW)
    assert (booking.calendar_id, where) == (first_place, "1")
    with pytest.raises(cal.SlotTaken):
        await cal.book_first(org.organisation_id, order, start, end, tags=["motif:1"], now=NOW)
    booking, _ = await cal.book_first(org.organisation_id, order, local(2027, 3, 2, 10), local(2027, 3, 2, 10, 30),
                                      tags=["motif:1"], location="1", now=NOW)
    assert booking.calendar_id == first_place


async def test_grid_closures_holidays_and_the_past_are_refused(make_org):
    org = await make_org()
    only = await agenda(org, "A")
    with pytest.raises(cal.SlotTaken):  # off the 30-minute grid of the opening
        await cal.book_first(org.organisation_id, [only], local(2027, 3, 2, 9, 10), local(2027, 3, 2, 9, 40),
                             step=30, now=NOW)
    with pytest.raises(cal.SlotTaken):  # Easter Monday 2027
        await cal.book_first(org.organisation_id, [only], local(2027, 3, 29, 9), local(2027, 3, 29, 9, 30), now=NOW)
    await cal.add_closure(org.organisation_id, org.office_id, cal.ClosureIn(first_date=date(2027, 3, 3),
                                                                            reason="Travaux"))
    with pytest.raises(cal.SlotTaken):
        await cal.book_first(org.organisation_id, [only], local(2027, 3, 3, 9), local(2027, 3, 3, 9, 30), now=NOW)
    with pytest.raises(ValidationFailed) as error:
        await cal.book_first(org.organisation_id, [only], local(2027, 3, 2, 9), local(2027, 3, 2, 9, 30),
                             now=datetime(2027, 3, 5, tzinfo=UTC))
    assert error.value.errors[0].field == "start"
    assert await cal.bookings_between(org.organisation_id, [only], local(2027, 3, 1), local(2027, 3, 8)) == []


async def test_concurrent_requests_fill_each_calendar_once(make_org):
    org = await make_org()
    ids = [await agenda(org, f"Agent {n}") for n in range(3)]
    start, end = local(2027, 3, 2, 9), local(2027, 3, 2, 9, 30)

    async def one():
        try:
            return (await cal.book_first(org.organisation_id, ids, start, end, now=NOW))[0].calendar_id
        except cal.SlotTaken:
            return None

    results = await asyncio.gather(*(one() for _ in range(30)))
    assert sorted(r for r in results if r is not None) == ids
    assert results.count(None) == 27


CHILD = """
import asyncio, json, sys
from datetime import UTC, datetime
from core import calendar as cal, db

async def main(url, org, ids, n, start, end):
    engine = db.create_engine(url)
    db.bind(engine, db.all_tables(db.app_configs()))
    async def one():
        try:
            await cal.book_first(org, ids, datetime.fromisoformat(start), datetime.fromisoformat(end),
                                 now=datetime(2027, 1, 1, tzinfo=UTC))
            return 1
        except cal.SlotTaken:
            return 0
    results = await asyncio.gather(*(one() for _ in range(n)))
    await db.stop(engine)
    print(json.dumps(sum(results)))

asyncio.run(main(sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]))
"""


async def test_two_processes_never_overbook_together(make_org, settings):
    org = await make_org()
    ids = [await agenda(org, f"Agent {n}", capacity=2) for n in range(4)]
    start, end = local(2027, 3, 2, 9).isoformat(), local(2027, 3, 2, 9, 30).isoformat()
    command = [sys.executable, "-c", CHILD, settings.database_url, str(org.organisation_id), json.dumps(ids), "12",
               start, end]
    processes = [await asyncio.create_subprocess_exec(*command, cwd=ROOT, stdout=subprocess.PIPE,
                                                      stderr=subprocess.PIPE) for _ in range(2)]
    outputs = [await p.communicate() for p in processes]
    assert all(p.returncode == 0 for p in processes), [o[1].decode()[-2000:] for o in outputs]
    assert sum(json.loads(out.decode()) for out, _ in outputs) == 8
    booked = await cal.bookings_between(org.organisation_id, ids, local(2027, 3, 2), local(2027, 3, 3))
    assert sorted(b.calendar_id for b in booked) == sorted(ids * 2)
