"""Free-slot search through the service: wall-clock openings across DST, closures, holidays, notice,
horizon, tags, capacity overrides, first free slot, tenancy."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core import calendar as cal
from core.errors import NotFound, ValidationFailed
from tests.core.calendar.factories import weekly_calendar

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def local(*args):
    return datetime(*args, tzinfo=PARIS)


async def test_morning_slots_keep_local_time_across_the_march_change(make_org):
    org = await make_org()
    agenda = await weekly_calendar(org, byday="FR,MO", start="09:00", end="10:00")
    slots = await cal.search_slots(org.organisation_id, [agenda.id], local(2026, 3, 27), local(2026, 3, 31), 30,
                                   now=NOW)
    assert [(s.start.isoformat(), s.remaining) for s in slots] == [
        ("2026-03-27T09:00:00+01:00", 1), ("2026-03-27T09:30:00+01:00", 1),
        ("2026-03-30T09:00:00+02:00", 1), ("2026-03-30T09:30:00+02:00", 1)]


async def test_october_change_and_easter_monday_holiday(make_org):
    org = await make_org()
    agenda = await weekly_calendar(org, byday="MO", start="09:00", end="10:00", first=date(2026, 3, 30))
    oct_slots = await cal.search_slots(org.organisation_id, [agenda.id], local(2026, 10, 25), local(2026, 10, 27),
                                       60, now=NOW)
    assert [s.start.astimezone(UTC).hour for s in oct_slots] == [8]  # 09:00 winter time
    april = await cal.search_slots(org.organisation_id, [agenda.id], local(2026, 4, 1), local(2026, 4, 14), 60,
                                   now=NOW)
    assert [s.start.date() for s in april] == [date(2026, 4, 13)]  # 6 April is Easter Monday


async def test_closures_of_calendar_and_office_and_bookings(make_org):
    org = await make_org()
    agenda = await weekly_calendar(org, start="09:00", end="11:00")
    other = await weekly_calendar(org, name="Autre", start="09:00", end="11:00")
    await cal.add_closure(org.organisation_id, org.office_id, cal.ClosureIn(
        first_date=date(2026, 3, 3), start="09:30", end="10:30", calendar_id=agenda.id, reason="Réunion"))
    await cal.add_closure(org.organisation_id, org.office_id, cal.ClosureIn(
        first_date=date(2026, 3, 4), reason="Inventaire"))  # whole office, whole day
    await cal.book(org.organisation_id, agenda.id, local(2026, 3, 5, 9), local(2026, 3, 5, 9, 30))
    slots = await cal.search_slots(org.organisation_id, [agenda.id, other.id], local(2026, 3, 3),
                                   local(2026, 3, 6), 30, now=NOW)
    mine = [s.start.strftime("%d %H:%M") for s in slots if s.calendar_id == agenda.id]
    assert mine == ["03 09:00", "03 10:30", "05 09:30", "05 10:00", "05 10:30"]
    assert len([s for s in slots if s.calendar_id == other.id]) == 8  # 3rd and 5th, 4 slots each


async def test_recurring_closure_and_monthly_second_tuesday(make_org):
    org = await make_org()
    agenda = await weekly_calendar(org, byday="2TU", freq="MONTHLY", start="14:00", end="15:00",
                                   first=date(2026, 1, 1))
    await cal.add_closure(org.organisation_id, org.office_id, cal.ClosureIn(
        first_date=date(2026, 2, 10), freq="MONTHLY", byday="2TU", count=2, calendar_id=agenda.id))
    slots = await cal.search_slots(org.organisation_id, [agenda.id], local(2026, 1, 1), local(2026, 5, 31), 60,
                                   now=NOW)
    assert [s.start.date() for s in slots] == [date(2026, 1, 13), date(2026, 4, 14), date(2026, 5, 12)]


async def test_notice_horizon_tags_and_capacity_override(make_org):
    org = await make_org()
    agenda = await weekly_calendar(org, byday="MO", start="09:00", end="10:00", tags=["permis"], capacity=20)
    now = local(2026, 3, 2, 8, 0)
    slots = await cal.search_slots(org.organisation_id, [agenda.id], local(2026, 3, 2), local(2026, 3, 31), 30,
                                   min_notice=90, max_horizon=14 * 24 * 60, tags=["permis"], now=now)
    assert [s.start.strftime("%d %H:%M") for s in slots] == ["02 09:30", "09 09:00", "09 09:30"]
    assert {s.remaining for s in slots} == {20}
    assert await cal.search_slots(org.organisation_id, [agenda.id], local(2026, 3, 2), local(2026, 3, 31), 30,
                                  tags=["code"], now=now) == []


async def test_exception_moves_one_occurrence(make_org):
    org = await make_org()
    agenda = await cal.create_calendar(org.organisation_id, org.office_id, "Agenda")
    rule = await cal.add_opening_rule(org.organisation_id, agenda.id, cal.RuleIn(
        start="09:00", end="10:00", first_date=date(2026, 3, 2), exceptions={"2026-03-09": None}))
    await cal.set_rule_exception(org.organisation_id, rule.id, date(2026, 3, 16),
                                 cal.MoveIn(date="2026-03-18", start="15:00", end="16:00"))
    slots = await cal.search_slots(org.organisation_id, [agenda.id], local(2026, 3, 1), local(2026, 3, 24), 60,
                                   now=NOW)
    assert [s.start.strftime("%d %H:%M") for s in slots] == ["02 09:00", "18 15:00", "23 09:00"]
    with pytest.raises(ValidationFailed):
        await cal.set_rule_exception(org.organisation_id, rule.id, date(2026, 3, 17), None)


async def test_first_free_slot_across_calendars(make_org):
    org = await make_org()
    busy = await weekly_calendar(org, name="Occupé", byday="MO", start="09:00", end="10:00")
    later = await weekly_calendar(org, name="Plus tard", byday="TH", start="09:00", end="10:00")
    for week in range(5):
        await cal.book(org.organisation_id, busy.id, local(2026, 3, 2, 9) + timedelta(weeks=week),
                       local(2026, 3, 2, 10) + timedelta(weeks=week))
    first = await cal.first_free_slot(org.organisation_id, [busy.id, later.id], 60, start=local(2026, 3, 2),
                                      now=NOW)
    assert first is not None and (first.calendar_id, first.start) == (later.id, local(2026, 3, 5, 9))
    only_busy = await cal.first_free_slot(org.organisation_id, [busy.id], 60, start=local(2026, 3, 2),
                                          now=local(2026, 3, 1))
    assert only_busy is not None and only_busy.start == local(2026, 4, 13, 9)  # 6 April: Easter Monday
    none = await cal.first_free_slot(org.organisation_id, [busy.id], 60, start=local(2026, 3, 2),
                                     now=local(2026, 3, 1), max_horizon=20 * 24 * 60)
    assert none is None


async def test_one_slot_per_start_and_location_on_the_first_calendar_free(make_org):
    org = await make_org()
    first = await weekly_calendar(org, name="Agent A", byday="MO", start="09:00", end="10:00", location="12")
    second = await weekly_calendar(org, name="Agent B", byday="MO", start="09:00", end="10:00", location="12")
    elsewhere = await weekly_calendar(org, name="Agent C", byday="MO", start="09:30", end="10:30", location="13")
    await cal.book(org.organisation_id, second.id, local(2026, 3, 2, 9, 30), local(2026, 3, 2, 10))
    await cal.book(org.organisation_id, first.id, local(2026, 3, 2, 9), local(2026, 3, 2, 9, 30))
    args = (org.organisation_id, [second.id, first.id, elsewhere.id], local(2026, 3, 2), local(2026, 3, 3), 30)
    slots = await cal.search_slots(*args, now=NOW, one_per_start=True)
    assert [(s.start.strftime("%H:%M"), s.location, s.calendar_id) for s in slots] == [
        ("09:00", "12", second.id),  # A is booked at 09:00
        ("09:30", "12", first.id),  # B, asked first, is booked at 09:30
        ("09:30", "13", elsewhere.id), ("10:00", "13", elsewhere.id)]
    every = await cal.search_slots(*args, now=NOW)
    assert len(every) == 4 and [s.calendar_id for s in every] == sorted(s.calendar_id for s in every)


async def test_offices_filter_refuses_calendars_of_other_offices(make_org):
    from core.tenancy.tables import Office

    org = await make_org()
    agenda = await weekly_calendar(org)
    other_office = Office(organisation=org.organisation_id, name="Annexe")
    await other_office.save()
    window = (local(2026, 3, 2), local(2026, 3, 3), 30)
    assert await cal.search_slots(org.organisation_id, [agenda.id], *window, now=NOW, offices=[org.office_id])
    with pytest.raises(NotFound):
        await cal.search_slots(org.organisation_id, [agenda.id], *window, now=NOW, offices=[other_office.id])


async def test_other_organisation_calendar_is_not_found(make_org):
    org = await make_org("Mairie A")
    intruder = await make_org("Mairie B")
    agenda = await weekly_calendar(org)
    with pytest.raises(NotFound):
        await cal.search_slots(intruder.organisation_id, [agenda.id], local(2026, 3, 2), local(2026, 3, 3), 30)
    with pytest.raises(NotFound):
        await cal.book(intruder.organisation_id, agenda.id, local(2026, 3, 2, 9), local(2026, 3, 2, 10))


@pytest.mark.parametrize("kwargs,field", [
    ({"duration": 0}, "duration"), ({"end": datetime(2026, 3, 1, tzinfo=UTC)}, "end"),
    ({"start": datetime(2026, 3, 2)}, "start"), ({"seats": 0}, "seats")])
async def test_bad_search_names_the_field(make_org, kwargs, field):
    org = await make_org()
    agenda = await weekly_calendar(org)
    args = {"start": local(2026, 3, 2), "end": local(2026, 3, 3), "duration": 30, **kwargs}
    with pytest.raises(ValidationFailed) as error:
        await cal.search_slots(org.organisation_id, [agenda.id], **args)
    assert error.value.errors[0].field == field
