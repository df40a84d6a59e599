"""The module schedules on core.calendar: one calendar per agenda, plages are its opening rules (motifs as
tags, lieu as location), a skipped occurrence a rule exception, absences closures, appointments bookings
(cancelled when the appointment is); a collective motif fills one sitting up to its maximum."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.plugin_api import calendar as cal
from tests.plugins.rdv_service_public.test_booking import at, rdv

AGENT = "rdv_service_public.agent"


async def agent_calendar(configured):
    t = configured["town"]
    [found] = [c for c in await cal.list_calendars(t.org.organisation_id, t.org.office_id)
               if (c.owner_kind, c.owner_ref) == (AGENT, str(configured["agent_id"]))]
    return found


async def test_plage_and_exception_and_absence_live_in_the_agents_calendar(configured):
    t, monday = configured["town"], configured["monday"]
    calendar = await agent_calendar(configured)
    assert calendar.closed_on_public_holidays is True  # the office's policy: closed on public holidays
    [rule] = await cal.list_rules(t.org.organisation_id, calendar.id)
    assert (rule.start, rule.end, rule.byday, rule.first_date) == ("09:00", "12:00", "MO", monday)
    assert rule.tags == [f"motif:{configured['motif']['id']}"] and rule.location == str(configured["lieu"]["id"])
    skip = await t.call("POST", f"/plages/{configured['plage']['id']}/exceptions", json={"day": monday.isoformat()})
    assert skip.status_code == 201
    [rule] = await cal.list_rules(t.org.organisation_id, calendar.id)
    assert rule.exceptions == {monday.isoformat(): None}
    await t.make("/absences", {"member_id": configured["agent_id"], "starts_at": at(monday, "09:00"),
                               "ends_at": at(monday, "10:30"), "label": "Formation"})
    [closure] = await cal.list_closures(t.org.organisation_id, t.org.office_id)
    assert (closure.calendar_id, closure.first_date, closure.start, closure.end) == (calendar.id, monday,
                                                                                       "09:00", "10:30")
    assert (await t.call("DELETE", f"/plages/{configured['plage']['id']}")).status_code == 204
    assert await cal.list_rules(t.org.organisation_id, calendar.id) == []


async def test_appointment_is_a_core_booking_freed_on_cancellation(configured):
    t, monday = configured["town"], configured["monday"]
    calendar = await agent_calendar(configured)
    booked = await t.make("/rdvs", rdv(configured, "10:00"))
    day = (await cal.bookings_between(t.org.organisation_id, [calendar.id], *_day(monday, calendar.timezone)))
    assert [(b.start.strftime("%H:%M"), b.source_plugin, b.label) for b in day] == [
        ("10:00", "rdv_service_public", "Jeanne Martin")]
    taken = await cal.search_slots(t.org.organisation_id, [calendar.id], *_day(monday, calendar.timezone), 30)
    assert "10:00" not in {s.start.strftime("%H:%M") for s in taken}
    cancelled = await t.call("PATCH", f"/rdvs/{booked['id']}", json={"status": "annule"})
    assert cancelled.status_code == 200, cancelled.text
    assert await cal.bookings_between(t.org.organisation_id, [calendar.id], *_day(monday, calendar.timezone)) == []
    again = await t.call("POST", "/rdvs", json=rdv(configured, "10:00", citizen_email=""))
    assert again.status_code == 201, again.text


async def test_collective_motif_fills_one_sitting_up_to_its_maximum(configured):
    t = configured["town"]
    motif = configured["motif"]
    changed = await t.call("PUT", f"/motifs/{motif['id']}", json={"collective": True, "max_participants": 3})
    assert changed.status_code == 200, changed.text
    for _ in range(3):
        assert (await t.call("POST", "/rdvs", json=rdv(configured, "10:00", citizen_email=""))).status_code == 201
    full = await t.call("POST", "/rdvs", json=rdv(configured, "10:00", citizen_email=""))
    assert full.status_code == 409
    calendar = await agent_calendar(configured)
    bookings = await cal.bookings_between(t.org.organisation_id, [calendar.id],
                                          *_day(configured["monday"], calendar.timezone))
    assert len(bookings) == 1


def _day(day: date, zone: str) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), ZoneInfo(zone))
    return start, start + timedelta(days=1)
