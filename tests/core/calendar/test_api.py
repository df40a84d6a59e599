"""The calendar API: admins configure, basic members search and book, another organisation's office or
calendar answers 404, bad input names the field; the private ICS feed and the planning page."""

from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from core.calendar.planning import french_date
from core.testing.fixtures import api_token, login

BASE = "/api/v1/offices/{}/calendars"
PARIS = ZoneInfo("Europe/Paris")
# A Monday at least a month ahead, so that searches (which start from now) always see it.
MONDAY = date.today() + timedelta(days=35 - date.today().weekday())


def at(day: int, hour: int = 0) -> str:
    """ISO time `day` days after MONDAY at `hour` (Paris)."""
    return datetime.combine(MONDAY + timedelta(days=day), datetime.min.time(), PARIS).replace(hour=hour).isoformat()


WEEK = {"start": at(0), "end": at(5)}


async def setup_calendar(client, org, headers, **rule):
    created = await client.post(BASE.format(org.office_id) + "/", headers=headers,
                                json={"name": "Guichet 1", "capacity": 1,
                                                                 "closed_on_public_holidays": False})
    assert created.status_code == 201, created.text
    calendar = created.json()
    body = {"start": "09:00", "end": "11:00", "first_date": MONDAY.isoformat(), "freq": "WEEKLY", "byday": "MO,WE",
            **rule}
    response = await client.post(BASE.format(org.office_id) + f"/{calendar['id']}/rules", headers=headers,
                                 json=body)
    assert response.status_code == 201, response.text
    return calendar


async def test_admin_configures_basic_searches_and_books(client, make_org, add_member):
    org = await make_org()
    owner = await api_token(client, org.owner_email)
    calendar = await setup_calendar(client, org, owner)
    _, email = await add_member(org, "basic")
    agent = await api_token(client, email)
    forbidden = await client.post(BASE.format(org.office_id) + "/", headers=agent, json={"name": "X"})
    assert forbidden.status_code == 403
    slots = await client.get(BASE.format(org.office_id) + "/slots?" + urlencode({**WEEK, "duration": 60}),
                             headers=agent)
    assert slots.status_code == 200, slots.text
    assert [s["start"] for s in slots.json()] == [at(0, 9), at(0, 10), at(2, 9), at(2, 10)]
    url = BASE.format(org.office_id) + f"/{calendar['id']}/bookings"
    booking = {"start": at(0, 9), "end": at(0, 10), "label": "M. Martin"}
    first = await client.post(url, headers=agent, json=booking)
    assert first.status_code == 201, first.text
    assert first.json()["created_by"] is not None
    second = await client.post(url, headers=agent, json=booking)
    assert second.status_code == 409
    assert "n'est plus disponible" in second.json()["detail"]
    outside = await client.post(url, headers=agent, json={**booking, "start": at(1, 9), "end": at(1, 10)})
    assert outside.status_code == 409 and "heures d'ouverture" in outside.json()["detail"]
    moved = await client.post(BASE.format(org.office_id) + f"/bookings/{first.json()['id']}/move", headers=agent,
                              json={"start": at(2, 10), "end": at(2, 11)})
    assert moved.status_code == 201 and [h["action"] for h in moved.json()["history"]] == ["booked", "moved"]
    cancelled = await client.post(BASE.format(org.office_id) + f"/bookings/{first.json()['id']}/cancel",
                                  headers=agent, json={"reason": "Empêché"})
    assert cancelled.json()["status"] == "cancelled"
    first_free = await client.get(BASE.format(org.office_id) + "/first-free?" + urlencode(
        {"duration": 60, "start": at(0)}), headers=agent)
    assert first_free.status_code == 200 and first_free.json()["start"] == at(0, 9)  # freed by the move


async def test_another_organisation_gets_404_everywhere(client, make_org):
    org = await make_org("Mairie A")
    other = await make_org("Mairie B")
    owner = await api_token(client, org.owner_email)
    calendar = await setup_calendar(client, org, owner)
    intruder = await api_token(client, other.owner_email)
    for path in ["/", "/slots?" + urlencode({**WEEK, "duration": 30}), f"/{calendar['id']}",
                 f"/{calendar['id']}/rules"]:
        response = await client.get(BASE.format(org.office_id) + path, headers=intruder)
        assert response.status_code == 404, path
    # Their own office, but our calendar id: still 404.
    response = await client.get(BASE.format(other.office_id) + "/slots?" + urlencode(
        {**WEEK, "duration": 30, "calendar_ids": str(calendar["id"])}), headers=intruder)
    assert response.status_code == 404
    booking = await client.post(BASE.format(other.office_id) + f"/{calendar['id']}/bookings", headers=intruder,
                                json={"start": at(0, 9), "end": at(0, 10)})
    assert booking.status_code == 404


async def test_bad_rule_and_bad_search_name_the_field(client, make_org):
    org = await make_org()
    owner = await api_token(client, org.owner_email)
    calendar = await setup_calendar(client, org, owner)
    rules = BASE.format(org.office_id) + f"/{calendar['id']}/rules"
    bad = await client.post(rules, headers=owner, json={"start": "9h", "end": "08:00", "first_date": MONDAY.isoformat(),
                                                        "byday": "XX"})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"start", "byday"}
    empty_hours = await client.post(rules, headers=owner, json={"start": "10:00", "end": "10:00",
                                                                "first_date": MONDAY.isoformat()})
    assert empty_hours.status_code == 422 and empty_hours.json()["errors"][0]["field"] == "end"
    search = await client.get(BASE.format(org.office_id) + "/slots?" + urlencode({**WEEK, "duration": 0}),
                              headers=owner)
    assert search.status_code == 422 and search.json()["errors"][0]["field"] == "duration"
    listed = await client.get(rules, headers=owner)
    assert len(listed.json()) == 1  # nothing half-written


async def test_ics_feed_is_private_and_revocable(client, make_org):
    org = await make_org()
    owner = await api_token(client, org.owner_email)
    calendar = await setup_calendar(client, org, owner)
    booked = await client.post(BASE.format(org.office_id) + f"/{calendar['id']}/bookings", headers=owner, json={
        "start": at(0, 9), "end": at(0, 10), "label": "Mme Dupont, permis"})
    assert booked.status_code == 201
    feed = await client.get(calendar["ics_path"])
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    utc = datetime.fromisoformat(at(0, 9)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{utc}" in feed.text and "SUMMARY:Mme Dupont\\, permis" in feed.text
    rotated = await client.post(BASE.format(org.office_id) + f"/{calendar['id']}/ics-token", headers=owner)
    assert rotated.json()["ics_path"] != calendar["ics_path"]
    assert (await client.get(calendar["ics_path"])).status_code == 404
    assert (await client.get(rotated.json()["ics_path"])).status_code == 200


async def test_ics_feed_keeps_a_cancelled_booking_for_a_week_as_cancelled(client, make_org):
    import icalendar

    from core.calendar import ics

    org = await make_org()
    owner = await api_token(client, org.owner_email)
    calendar = await setup_calendar(client, org, owner)
    base = BASE.format(org.office_id) + f"/{calendar['id']}/bookings"
    booked = (await client.post(base, headers=owner, json={"start": at(0, 9), "end": at(0, 10)})).json()
    first = icalendar.Calendar.from_ical((await client.get(calendar["ics_path"])).text)
    [event] = first.walk("VEVENT")
    assert (str(event["STATUS"]), event["SEQUENCE"]) == ("CONFIRMED", 0)
    cancelled = await client.post(BASE.format(org.office_id) + f"/bookings/{booked['id']}/cancel", headers=owner,
                                  json={})
    assert cancelled.status_code in (200, 201), cancelled.text
    [after] = icalendar.Calendar.from_ical((await client.get(calendar["ics_path"])).text).walk("VEVENT")
    assert (str(after["STATUS"]), after["SEQUENCE"], after["UID"]) == ("CANCELLED", 1, event["UID"])
    token = calendar["ics_path"].rsplit("/", 1)[-1].removesuffix(".ics")
    week_later = icalendar.Calendar.from_ical(await ics.feed(token, datetime.now(UTC) + timedelta(days=8)))
    assert week_later.walk("VEVENT") == []


async def test_planning_page_shows_openings_and_bookings_in_french(client, make_org):
    org = await make_org()
    owner = await api_token(client, org.owner_email)
    calendar = await setup_calendar(client, org, owner)
    await client.post(BASE.format(org.office_id) + f"/{calendar['id']}/bookings", headers=owner, json={
        "start": at(0, 9), "end": at(0, 9).replace("T09:00", "T09:30"), "label": "M. Bernard"})
    await login(client, org.owner_email)
    page = await client.get(f"/offices/{org.office_id}/planning?day={MONDAY + timedelta(days=2)}")
    assert page.status_code == 200, page.text
    assert french_date(MONDAY) in page.text and "Guichet 1" in page.text
    assert "Ouvert 09:00–11:00" in page.text and "M. Bernard" in page.text
    day = await client.get(f"/offices/{org.office_id}/planning?view=day&day={MONDAY + timedelta(days=1)}")
    assert french_date(MONDAY + timedelta(days=1)) in day.text and "M. Bernard" not in day.text
