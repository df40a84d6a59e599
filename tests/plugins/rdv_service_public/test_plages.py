"""Plages d'ouverture and absences: basic agents manage their own agenda and the intervenants', admins
every agenda and the counters; recurrence with per-occurrence exceptions and absences shape free slots."""

from datetime import timedelta

from core.testing.fixtures import api_token
from tests.plugins.rdv_service_public.conftest import next_weekday


def plage(member_id=None, guichet_id=None, **extra):
    values = {"weekdays": [0], "first_day": next_weekday(0).isoformat(), "start_time": "14:00",
              "end_time": "16:00", **extra}
    if member_id is not None:
        values["member_id"] = member_id
    if guichet_id is not None:
        values["guichet_id"] = guichet_id
    return values


async def test_basic_agent_manages_own_and_intervenant_plages_only(configured, add_member, client):
    t, agent = configured["town"], configured["agent_headers"]
    colleague, _ = await add_member(t.org, "basic", email="collegue@example.org")
    intervenant, _ = await add_member(t.org, "intervenant")
    assert (await t.call("POST", "/plages", agent, json=plage(configured["agent_id"]))).status_code == 201
    assert (await t.call("POST", "/plages", agent, json=plage(intervenant))).status_code == 201
    refused = await t.call("POST", "/plages", agent, json=plage(colleague))
    assert refused.status_code == 403 and "votre agenda" in refused.json()["detail"]
    counter = (await t.call("GET", "/guichets")).json()[0]["id"]
    assert (await t.call("POST", "/plages", agent, json=plage(guichet_id=counter))).status_code == 403
    assert (await t.call("POST", "/plages", json=plage(colleague))).status_code == 201  # owner (admin+)
    others = await t.call("DELETE", f"/plages/{configured['plage']['id']}", await api_token(
        client, "collegue@example.org"))
    assert others.status_code == 403


async def test_bad_plage_fields_are_named(configured):
    t = configured["town"]
    response = await t.call("POST", "/plages", json=plage(configured["agent_id"], weekdays=[], start_time="16:00",
                                                          end_time="15:00", lieu_id=999999))
    assert response.status_code == 422
    assert {"weekdays", "end_time", "lieu_id"} <= {e["field"] for e in response.json()["errors"]}
    both = await t.call("POST", "/plages", json=plage(configured["agent_id"], guichet_id=1))
    assert both.status_code == 422


async def test_exception_removes_one_occurrence_and_absence_removes_hours(configured):
    t, motif, monday = configured["town"], configured["motif"], configured["monday"]
    query = {"motif_id": motif["id"], "start": f"{monday.isoformat()}T00:00:00", "days": 8}
    slots = (await t.call("GET", "/slots", params=query)).json()
    days = {s["starts_at"][:10] for s in slots}
    assert monday.isoformat() in days and (monday + timedelta(days=7)).isoformat() in days
    assert len([s for s in slots if s["starts_at"].startswith(monday.isoformat())]) == 6  # 9:00-12:00 by 30 min
    skip = await t.call("POST", f"/plages/{configured['plage']['id']}/exceptions", json={"day": monday.isoformat()})
    assert skip.status_code == 201 and skip.json()["exceptions"] == [monday.isoformat()]
    slots = (await t.call("GET", "/slots", params=query)).json()
    assert monday.isoformat() not in {s["starts_at"][:10] for s in slots}
    next_monday = monday + timedelta(days=7)
    absence = await t.call("POST", "/absences", configured["agent_headers"], json={
        "member_id": configured["agent_id"], "starts_at": f"{next_monday}T09:00:00",
        "ends_at": f"{next_monday}T10:30:00", "label": "Formation"})
    assert absence.status_code == 201, absence.text
    slots = (await t.call("GET", "/slots", params=query)).json()
    times = sorted(s["starts_at"][11:16] for s in slots if s["starts_at"].startswith(next_monday.isoformat()))
    assert len(times) == 3  # 10:30, 11:00, 11:30 (in UTC or local, three remain)


async def test_absence_must_end_after_it_starts(configured):
    t = configured["town"]
    response = await t.call("POST", "/absences", json={"member_id": configured["agent_id"],
                                                        "starts_at": "2030-01-07T10:00:00",
                                                        "ends_at": "2030-01-07T09:00:00"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "ends_at"
