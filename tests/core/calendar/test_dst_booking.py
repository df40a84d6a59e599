"""Booking around DST changes (Europe/Paris): the services compare and subtract instants, never wall clocks,
refuse local times that do not exist and read ambiguous ones by their `fold`. One test per defect of issue 13,
with its reproducer."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core import calendar as cal
from core.calendar.tables import Booking
from core.errors import ValidationFailed
from core.testing.fixtures import api_token

PARIS = ZoneInfo("Europe/Paris")


def paris(*args, fold=0):
    return datetime(*args, tzinfo=PARIS, fold=fold)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


async def open_all_day(org, first=date(2026, 10, 20), capacity=1, name="Guichet", **rule):
    agenda = await cal.create_calendar(org.organisation_id, org.office_id, name, capacity=capacity,
                                       closed_on_public_holidays=False)
    await cal.add_opening_rule(org.organisation_id, agenda.id, cal.RuleIn(
        start="00:00", end="24:00", first_date=first, freq="DAILY", **rule))
    return agenda


async def test_1_an_end_before_its_start_by_fold_is_refused_and_cannot_open_a_double_booking(make_org):
    org = await make_org()
    agenda = await open_all_day(org)
    start, end = paris(2026, 10, 25, 2, 15, fold=1), paris(2026, 10, 25, 2, 30)  # 01:15Z → 00:30Z
    with pytest.raises(ValidationFailed) as error:
        await cal.book(org.organisation_id, agenda.id, start, end)
    assert error.value.status_code == 422 and error.value.errors[0].field == "end"
    assert error.value.message == "La fin du rendez-vous doit suivre son début."
    kept = await cal.book(org.organisation_id, agenda.id, utc(2026, 10, 25, 5), utc(2026, 10, 25, 6))
    with pytest.raises(ValidationFailed):
        await cal.move(org.organisation_id, kept.id, start, end)
    await cal.book(org.organisation_id, agenda.id, utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 15))
    with pytest.raises(cal.SlotTaken):
        await cal.book(org.organisation_id, agenda.id, utc(2026, 10, 25, 0, 15), utc(2026, 10, 25, 1, 30))


async def test_2_a_real_45_minutes_written_with_folds_is_accepted(make_org):
    org = await make_org()
    agenda = await open_all_day(org)
    booked = await cal.book(org.organisation_id, agenda.id, paris(2026, 10, 25, 2, 30),
                            paris(2026, 10, 25, 2, 15, fold=1))
    assert (booked.start.astimezone(UTC), booked.end.astimezone(UTC)) == (utc(2026, 10, 25, 0, 30),
                                                                          utc(2026, 10, 25, 1, 15))
    assert booked.end.isoformat() == "2026-10-25T02:15:00+01:00"


@pytest.mark.parametrize("start,end,field", [
    (paris(2026, 3, 29, 2, 0), paris(2026, 3, 29, 3, 0), "start"),
    (paris(2026, 3, 29, 1, 30), paris(2026, 3, 29, 2, 30), "end")])
async def test_3_a_local_time_skipped_in_march_is_refused_in_french(make_org, start, end, field):
    org = await make_org()
    agenda = await open_all_day(org, first=date(2026, 3, 20))
    with pytest.raises(ValidationFailed) as error:
        await cal.book(org.organisation_id, agenda.id, start, end)
    assert error.value.status_code == 422 and error.value.errors[0].field == field
    assert "n'existe pas" in error.value.errors[0].message and "heure d'été" in error.value.errors[0].message
    assert await cal.bookings_between(org.organisation_id, [agenda.id], utc(2026, 3, 28), utc(2026, 3, 30)) == []


async def test_an_explicit_offset_always_names_an_existing_instant(client, make_org):
    """Over HTTP times carry an offset: 02:00+01:00 on the March change is 01:00Z, a real instant."""
    org = await make_org()
    agenda = await open_all_day(org, first=date(2026, 3, 20))
    headers = await api_token(client, org.owner_email)
    response = await client.post(f"/api/v1/offices/{org.office_id}/calendars/{agenda.id}/bookings", headers=headers,
                                 json={"start": "2026-03-29T02:00:00+01:00", "end": "2026-03-29T04:00:00+02:00"})
    assert response.status_code == 201, response.text
    assert response.json()["start"] == "2026-03-29T03:00:00+02:00"


async def test_4_twenty_five_real_hours_across_october_exceed_the_limit(make_org):
    org = await make_org()
    agenda = await open_all_day(org)
    with pytest.raises(ValidationFailed) as error:
        await cal.book(org.organisation_id, agenda.id, paris(2026, 10, 24, 12), paris(2026, 10, 25, 12),
                       allow_outside_hours=True)
    assert error.value.errors[0].message == "Un rendez-vous dure au plus 24 heures."


async def test_4_a_legacy_25_hour_booking_still_blocks_its_last_hour(make_org):
    """Stored before lengths were checked on instants: the look-back covers it."""
    org = await make_org()
    agenda = await open_all_day(org)
    start, end = paris(2026, 10, 24, 12), paris(2026, 10, 25, 12)
    assert end.timestamp() - start.timestamp() == 25 * 3600
    await Booking(organisation=org.organisation_id, office=org.office_id, calendar=agenda.id,
                  start_ts=int(start.timestamp()), end_ts=int(end.timestamp()), history=[]).save()
    with pytest.raises(cal.SlotTaken):
        await cal.book(org.organisation_id, agenda.id, paris(2026, 10, 25, 11, 30), paris(2026, 10, 25, 11, 45))
    found = await cal.bookings_between(org.organisation_id, [agenda.id], paris(2026, 10, 25, 11),
                                       paris(2026, 10, 25, 12))
    assert len(found) == 1


async def test_5_first_free_slot_takes_the_earliest_instant_not_wall_clock(make_org):
    org = await make_org()
    early_wall = await cal.create_calendar(org.organisation_id, org.office_id, "A", closed_on_public_holidays=False)
    await cal.add_opening_rule(org.organisation_id, early_wall.id, cal.RuleIn(
        start="02:00", end="04:00", first_date=date(2026, 10, 25), freq="DAILY", count=1))  # 00:00Z–03:00Z
    await cal.book(org.organisation_id, early_wall.id, utc(2026, 10, 25, 0), utc(2026, 10, 25, 1, 15))
    late_wall = await cal.create_calendar(org.organisation_id, org.office_id, "B", closed_on_public_holidays=False)
    await cal.add_opening_rule(org.organisation_id, late_wall.id, cal.RuleIn(
        start="02:30", end="03:00", first_date=date(2026, 10, 25), freq="DAILY", count=1))  # 00:30Z–02:00Z
    first = await cal.first_free_slot(org.organisation_id, [early_wall.id, late_wall.id], 15,
                                      start=paris(2026, 10, 25, 0), now=utc(2026, 10, 20))
    assert first is not None
    assert (first.calendar_id, first.start.astimezone(UTC)) == (late_wall.id, utc(2026, 10, 25, 0, 30))
    assert first.start.isoformat() == "2026-10-25T02:30:00+02:00"


async def test_search_bounds_are_instants(make_org):
    """A search from 02:30 (fold 0) to 02:15 (fold 1) is 45 real minutes, not a range ending before it starts."""
    org = await make_org()
    agenda = await open_all_day(org)
    slots = await cal.search_slots(org.organisation_id, [agenda.id], paris(2026, 10, 25, 2, 30),
                                   paris(2026, 10, 25, 2, 15, fold=1), 15, now=utc(2026, 1, 1))
    assert [s.start.astimezone(UTC) for s in slots] == [utc(2026, 10, 25, 0, 30) + timedelta(minutes=15 * k)
                                                        for k in range(3)]
    with pytest.raises(ValidationFailed) as error:
        await cal.search_slots(org.organisation_id, [agenda.id], paris(2026, 10, 25, 2, 15, fold=1),
                               paris(2026, 10, 25, 2, 30), 15)
    assert error.value.errors[0].field == "end"
