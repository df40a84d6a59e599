"""Openings that cross midnight (a night service 22:00–02:00; "00:00" as the end of the day) in rules and
search; bookings in the past: refused for the public (`allow_past=False`), recorded for agents with a warning."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core import calendar as cal
from core.errors import ValidationFailed

PARIS = ZoneInfo("Europe/Paris")
MONDAY = date(2027, 3, 1)


def paris(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


async def audit_details(organisation_id: int, booking_id: int) -> dict:
    from core.auth.tables import AuditEntry
    from core.calendar.rows import as_json

    row = await AuditEntry.select(AuditEntry.details).where(
        (AuditEntry.organisation == organisation_id) & (AuditEntry.target == f"booking:{booking_id}")).first()
    return as_json(row["details"])


async def night_service(org, start="22:00", end="02:00", first=MONDAY, **rule):
    agenda = await cal.create_calendar(org.organisation_id, org.office_id, "Nuit")
    created = await cal.add_opening_rule(org.organisation_id, agenda.id, cal.RuleIn(
        start=start, end=end, first_date=first, freq="DAILY", **rule))
    return agenda, created


async def test_a_night_opening_runs_past_midnight_in_search_and_booking(make_org):
    org = await make_org()
    agenda, rule = await night_service(org)
    assert (rule.start, rule.end) == ("22:00", "02:00")
    assert [(r.start, r.end) for r in await cal.list_rules(org.organisation_id, agenda.id)] == [("22:00", "02:00")]
    tuesday = MONDAY + timedelta(days=1)
    slots = await cal.search_slots(org.organisation_id, [agenda.id], paris(MONDAY, 12), paris(tuesday, 12), 60,
                                   now=datetime(2027, 1, 1, tzinfo=UTC))
    assert [s.start for s in slots] == [paris(MONDAY, 22), paris(MONDAY, 23), paris(tuesday, 0), paris(tuesday, 1)]
    across = await cal.book(org.organisation_id, agenda.id, paris(MONDAY, 23, 30), paris(tuesday, 0, 30))
    assert not across.outside_hours
    with pytest.raises(cal.OutsideHours):
        await cal.book(org.organisation_id, agenda.id, paris(tuesday, 1, 30), paris(tuesday, 2, 30))
    # the occurrence that started the day before is found when searching from after midnight
    later = await cal.search_slots(org.organisation_id, [agenda.id], paris(tuesday, 0), paris(tuesday, 3), 30,
                                   now=datetime(2027, 1, 1, tzinfo=UTC))
    assert [s.start for s in later] == [paris(tuesday, 0, 30), paris(tuesday, 1), paris(tuesday, 1, 30)]


async def test_midnight_is_accepted_as_the_end_of_the_day(make_org):
    org = await make_org()
    agenda, rule = await night_service(org, start="18:00", end="00:00")
    assert rule.end == "24:00"
    slots = await cal.search_slots(org.organisation_id, [agenda.id], paris(MONDAY, 0), paris(MONDAY + timedelta(1), 0),
                                   120, now=datetime(2027, 1, 1, tzinfo=UTC))
    assert [s.start.hour for s in slots] == [18, 20, 22]


async def test_an_opening_ending_when_it_starts_is_refused(make_org):
    org = await make_org()
    agenda = await cal.create_calendar(org.organisation_id, org.office_id, "X")
    with pytest.raises(ValidationFailed) as error:
        await cal.add_opening_rule(org.organisation_id, agenda.id, cal.RuleIn(
            start="09:00", end="09:00", first_date=MONDAY, freq="DAILY"))
    assert error.value.errors[0].field == "end" and "différente" in error.value.message


async def test_a_night_opening_over_the_october_change_ends_at_the_first_two_oclock(make_org):
    """22:00 CEST (20:00Z) to the first 02:00 the clock shows (02:00 CEST, 00:00Z): four real hours."""
    org = await make_org()
    agenda, _ = await night_service(org, first=date(2026, 10, 24), count=1)
    slots = await cal.search_slots(org.organisation_id, [agenda.id], datetime(2026, 10, 24, tzinfo=UTC),
                                   datetime(2026, 10, 26, tzinfo=UTC), 60, now=datetime(2026, 1, 1, tzinfo=UTC))
    assert [s.start.astimezone(UTC).hour for s in slots] == [20, 21, 22, 23]


async def test_the_public_cannot_book_in_the_past_agents_can_with_a_warning(make_org):
    org = await make_org()
    agenda, _ = await night_service(org, start="00:00", end="00:00", first=date(2026, 1, 1))
    now = datetime(2027, 3, 10, 12, tzinfo=UTC)
    yesterday = paris(date(2027, 3, 9), 10)
    with pytest.raises(ValidationFailed) as error:
        await cal.book(org.organisation_id, agenda.id, yesterday, yesterday + timedelta(hours=1), allow_past=False,
                       now=now)
    assert error.value.errors[0].field == "start" and error.value.message.startswith("Ce créneau est déjà passé")
    recorded = await cal.book(org.organisation_id, agenda.id, yesterday, yesterday + timedelta(hours=1), now=now)
    assert recorded.warnings == ["Attention : ce rendez-vous est dans le passé. Il a été enregistré après coup."]
    assert recorded.history[0].reason == "Enregistré après coup : le créneau était déjà passé."
    assert (await audit_details(org.organisation_id, recorded.id))["warnings"] == recorded.warnings
    future = await cal.book(org.organisation_id, agenda.id, paris(date(2027, 3, 11), 10),
                            paris(date(2027, 3, 11), 11), allow_past=False, now=now)
    assert future.warnings == []
    with pytest.raises(ValidationFailed):
        await cal.move(org.organisation_id, future.id, yesterday + timedelta(hours=2), yesterday + timedelta(hours=3),
                       allow_past=False, now=now)
    moved = await cal.move(org.organisation_id, future.id, yesterday + timedelta(hours=2),
                           yesterday + timedelta(hours=3), now=now)
    assert moved.warnings and moved.history[-1].reason.startswith("Enregistré après coup")
