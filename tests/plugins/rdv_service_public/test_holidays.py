"""Public holidays: agendas are closed on them by default (25 December and 1 January are never offered to
citizens), an office may open on them, Alsace-Moselle adds Good Friday and 26 December, and the planning
names the holiday."""

from datetime import date, datetime, timedelta

import pytest

from core.testing.fixtures import login
from tests.plugins.rdv_service_public.test_public import public_url

DAY = 24 * 60


def next_christmas() -> date:
    today = date.today()
    christmas = date(today.year, 12, 25)
    return christmas if christmas > today + timedelta(days=1) else date(today.year + 1, 12, 25)


@pytest.fixture
async def open_daily(configured):
    """The agent open every day 08:00–12:00 for an online motif bookable up to 366 days ahead."""
    from core.tenancy.tables import Organisation

    t = configured["town"]
    t.slug = (await Organisation.select(Organisation.slug).where(
        Organisation.id == t.org.organisation_id).first())["slug"]
    motif = await t.make("/motifs", {"name": "Passeport", "service_id": configured["service"]["id"],
                                     "duration_minutes": 60, "online": True, "min_delay_minutes": 60,
                                     "max_delay_minutes": 366 * DAY})
    await t.make("/plages", {"member_id": configured["agent_id"], "weekdays": list(range(7)),
                             "first_day": date.today().isoformat(), "start_time": "08:00", "end_time": "12:00",
                             "lieu_id": configured["lieu"]["id"], "motif_ids": [motif["id"]]})
    return t, motif


async def offered_days(client, t, motif, start: date) -> set[date]:
    response = await client.get(public_url(t, f"/api/motifs/{motif['id']}/slots"),
                                params={"start": start.isoformat()})
    assert response.status_code == 200, response.text
    return {datetime.fromisoformat(s["starts_at"]).date() for s in response.json()}


async def test_christmas_and_new_year_are_never_offered_until_the_office_opens(open_daily, client):
    t, motif = open_daily
    christmas = next_christmas()
    new_year = date(christmas.year + 1, 1, 1)
    days = await offered_days(client, t, motif, christmas - timedelta(days=2))
    assert christmas not in days and new_year not in days
    assert {christmas - timedelta(days=1), christmas + timedelta(days=1), new_year + timedelta(days=1)} <= days
    booked = await client.post(public_url(t, "/api/rdvs"), json={
        "motif_id": motif["id"], "starts_at": f"{christmas}T09:00:00+01:00", "citizen_name": "Noël Martin",
        "citizen_email": "noel@example.org"})
    assert booked.status_code == 409, booked.text

    policy = f"/api/v1/offices/{t.org.office_id}/calendars/holidays"
    assert (await client.get(policy, headers=t.headers)).json() == {
        "office_id": t.org.office_id, "open_on_public_holidays": False, "alsace_moselle": False}
    opened = await client.put(policy, headers=t.headers, json={"open_on_public_holidays": True})
    assert opened.status_code == 200, opened.text
    days = await offered_days(client, t, motif, christmas - timedelta(days=2))
    assert christmas in days and new_year in days


async def test_alsace_moselle_also_closes_on_the_26th(open_daily, client):
    t, motif = open_daily
    christmas = next_christmas()
    saint_stephen = christmas + timedelta(days=1)
    assert saint_stephen in await offered_days(client, t, motif, christmas - timedelta(days=2))
    response = await client.put(f"/api/v1/offices/{t.org.office_id}/calendars/holidays", headers=t.headers,
                                json={"alsace_moselle": True})
    assert response.status_code == 200 and response.json()["alsace_moselle"] is True
    days = await offered_days(client, t, motif, christmas - timedelta(days=2))
    assert christmas not in days and saint_stephen not in days and christmas + timedelta(days=2) in days


async def test_only_admins_set_the_policy(configured, client):
    t = configured["town"]
    agent = configured["agent_headers"]
    policy = f"/api/v1/offices/{t.org.office_id}/calendars/holidays"
    assert (await client.put(policy, headers=agent, json={"open_on_public_holidays": True})).status_code == 403
    bad = await client.put(policy, headers=t.headers, json={"open_on_public_holidays": "oui"})
    assert bad.status_code == 400 or bad.status_code == 422


async def test_the_planning_names_the_holiday(open_daily, client):
    t, _ = open_daily
    christmas = next_christmas()
    await login(client, t.org.owner_email)
    page = await client.get(f"/offices/{t.org.office_id}/m/rdv_service_public/planning",
                            params={"date": christmas.isoformat(), "view": "week"})
    assert page.status_code == 200
    assert "Noël (jour férié)" in page.text
    core = await client.get(f"/offices/{t.org.office_id}/planning", params={"day": christmas.isoformat()})
    assert core.status_code == 200 and "Noël (férié)" in core.text
