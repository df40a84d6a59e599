"""`format=compact` on the slot searches: per calendar, runs [first_start, step_minutes, count, remaining,
location] that expand to exactly the slots of the full form (same instants, seats and locations, same order),
on both the office search and the multi-site one; a bad format is a 422 naming the field; OpenAPI shows it."""

from datetime import datetime, timedelta
from urllib.parse import urlencode

from core.testing.fixtures import api_token
from tests.core.calendar.test_api import BASE, WEEK, at, setup_calendar


def expand(body: dict) -> list[tuple[int, float, float, int, str]]:
    duration = timedelta(minutes=body["duration"])
    slots = []
    for calendar_id, runs in body["calendars"].items():
        for first, step, count, remaining, location in runs:
            start = datetime.fromisoformat(first)
            for k in range(count):
                moment = start + timedelta(minutes=step * k)
                slots.append((int(calendar_id), moment.timestamp(), (moment + duration).timestamp(), remaining,
                              location))
    return slots


def flat(full: list[dict]) -> list[tuple[int, float, float, int, str]]:
    return [(s["calendar_id"], datetime.fromisoformat(s["start"]).timestamp(),
             datetime.fromisoformat(s["end"]).timestamp(), s["remaining"], s["location"]) for s in full]


async def test_compact_runs_expand_to_the_full_slots(client, make_org):
    org = await make_org()
    owner = await api_token(client, org.owner_email)
    plain = await setup_calendar(client, org, owner)
    shared = await client.post(BASE.format(org.office_id) + "/", headers=owner,
                               json={"name": "Guichet partagé", "capacity": 2, "closed_on_public_holidays": False})
    shared = shared.json()
    for body in ({"start": "09:00", "end": "12:00", "first_date": WEEK["start"][:10], "freq": "DAILY",
                  "location": "Salle B"},
                 {"start": "14:00", "end": "16:45", "first_date": WEEK["start"][:10], "freq": "WEEKLY",
                  "byday": "TU,TH"}):
        added = await client.post(BASE.format(org.office_id) + f"/{shared['id']}/rules", headers=owner, json=body)
        assert added.status_code == 201, added.text
    empty = (await client.post(BASE.format(org.office_id) + "/", headers=owner, json={"name": "Sans horaires"})).json()
    url = BASE.format(org.office_id) + f"/{shared['id']}/bookings"
    for start, end in ((at(0, 10), at(0, 11)), (at(1, 9), at(1, 10)), (at(1, 9), at(1, 10))):
        booked = await client.post(url, headers=owner, json={"start": start, "end": end})
        assert booked.status_code == 201, booked.text
    ids = f"{plain['id']},{shared['id']},{empty['id']}"
    for path, extra in ((BASE.format(org.office_id) + "/slots", {"buffer_after": 5}),
                        ("/api/v1/calendars/slots", {})):
        for params in ({"duration": 30}, {"duration": 45, "step": 15}, {"duration": 60, "seats": 2}):
            query = {**WEEK, **params, **extra, "calendar_ids": ids}
            full = await client.get(path + "?" + urlencode(query), headers=owner)
            compact = await client.get(path + "?" + urlencode({**query, "format": "compact"}), headers=owner)
            assert full.status_code == 200 and compact.status_code == 200, compact.text
            body = compact.json()
            assert body["duration"] == params["duration"]
            assert set(body["calendars"]) == {str(plain["id"]), str(shared["id"]), str(empty["id"])}
            assert body["calendars"][str(empty["id"])] == []
            assert expand(body) == flat(full.json()) and full.json()
            assert len(compact.content) < len(full.content)
    remaining = {run[3] for run in body["calendars"][str(shared["id"])]}
    assert remaining == {2}  # seats=2: only slots with both seats free
    thirty = await client.get(BASE.format(org.office_id) + "/slots?" + urlencode(
        {**WEEK, "duration": 30, "calendar_ids": str(shared["id"]), "format": "compact"}), headers=owner)
    assert {run[3] for run in thirty.json()["calendars"][str(shared["id"])]} == {1, 2}
    assert {run[4] for run in thirty.json()["calendars"][str(shared["id"])]} == {"Salle B", ""}


async def test_a_bad_format_names_the_field_and_openapi_documents_it(client, make_org):
    org = await make_org()
    owner = await api_token(client, org.owner_email)
    bad = await client.get(BASE.format(org.office_id) + "/slots?" + urlencode(
        {**WEEK, "duration": 30, "format": "csv"}), headers=owner)
    assert bad.status_code == 422 and "format" in bad.text and "compact" in bad.json()["detail"]
    schema = (await client.get("/schema/openapi.json")).json()
    parameters = schema["paths"]["/api/v1/calendars/slots"]["get"]["parameters"]
    assert any(p["name"] == "format" and "compact" in p["description"] for p in parameters)
    assert "SlotRuns" in str(schema["components"]["schemas"])
