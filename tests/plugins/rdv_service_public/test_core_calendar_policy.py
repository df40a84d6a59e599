"""Security issue 10.2 and 10.10: the core calendar API does not bypass the appointment module.

As `etat-civil@` (basic agent of the demo town hall): cancelling or moving through the core calendar API a
booking the module made → 403 with a French message (the module's own route refuses a colleague's
appointment too); booking with `allow_outside_hours` → 403 naming the field (an admin decision). Deleting,
through the core API, the rule of a plage or the closure of an absence → 403: the module owns them, so its
plage and absence stay deletable from the module."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from core.testing.fixtures import api_token
from tests.plugins.rdv_service_public.conftest import next_weekday

PASSWORD = "socle-demo-2026"


@pytest.fixture
async def demo(client, settings):
    from core.demo import DEMO_PASSWORD, load_town_hall

    assert DEMO_PASSWORD == PASSWORD
    await load_town_hall(settings)
    agent = await api_token(client, "etat-civil@saint-vallier.example", PASSWORD)
    admin = await api_token(client, "admin@saint-vallier.example", PASSWORD)
    office = (await client.get("/api/v1/offices", headers=admin)).json()[0]["id"]
    return {"agent": agent, "admin": admin, "office": office,
            "module": f"/api/v1/offices/{office}/m/rdv_service_public",
            "calendars": f"/api/v1/offices/{office}/calendars"}


async def _colleague_rdv(client, demo):
    """An upcoming appointment of an agent outside etat-civil@'s services (the module forbids him to touch it)."""
    monday = date.today() - timedelta(days=date.today().weekday())
    agents = (await client.get(demo["module"] + "/agents", headers=demo["admin"])).json()
    mine = {a["id"] for a in agents if a["email"] == "etat-civil@saint-vallier.example"}
    rdvs = (await client.get(demo["module"] + "/rdvs", headers=demo["admin"],
                             params={"days": 14, "start": f"{monday}T00:00:00"})).json()
    for rdv in rdvs:
        if rdv["status"] != "a_venir" or rdv["booking"] is None or rdv["member_id"] in mine:
            continue
        refused = await client.patch(demo["module"] + f"/rdvs/{rdv['id']}", headers=demo["agent"],
                                     json={"status": "annule"})
        if refused.status_code == 403:
            return rdv
    raise AssertionError("no appointment of the demo is out of etat-civil@'s reach")


async def test_basic_agent_cannot_cancel_or_move_a_module_booking_through_the_core_api(client, demo):
    rdv = await _colleague_rdv(client, demo)
    cancel = await client.post(demo["calendars"] + f"/bookings/{rdv['booking']}/cancel", headers=demo["agent"],
                               json={})
    assert cancel.status_code == 403, cancel.text
    assert cancel.json()["detail"] == ("Ce rendez-vous est géré par le module « rdv_service_public » : "
                                       "annulez-le ou déplacez-le depuis ce module.")
    start = datetime.fromisoformat(rdv["starts_at"]) + timedelta(days=1)
    move = await client.post(demo["calendars"] + f"/bookings/{rdv['booking']}/move", headers=demo["agent"],
                             json={"start": start.isoformat(), "end": (start + timedelta(minutes=30)).isoformat()})
    assert move.status_code == 403 and "rdv_service_public" in move.json()["detail"]
    # not even an admin, not even the owner: the module's own pages and API change its appointments
    admin_cancel = await client.post(demo["calendars"] + f"/bookings/{rdv['booking']}/cancel",
                                     headers=demo["admin"], json={})
    assert admin_cancel.status_code == 403
    after = (await client.get(demo["module"] + f"/rdvs/{rdv['id']}", headers=demo["admin"])).json()
    assert after["status"] == "a_venir" and after["starts_at"] == rdv["starts_at"]
    assert rdv["booking"] in await _confirmed_bookings(client, demo, rdv)  # the slot is still taken
    # through the module, an admin does cancel it (the module keeps the appointment and the booking together)
    done = await client.patch(demo["module"] + f"/rdvs/{rdv['id']}", headers=demo["admin"], json={"status": "annule"})
    assert done.status_code == 200, done.text
    assert rdv["booking"] not in await _confirmed_bookings(client, demo, rdv)


async def _confirmed_bookings(client, demo, rdv) -> set[int]:
    """Ids of the confirmed bookings of the office's calendars around the appointment."""
    start = datetime.fromisoformat(rdv["starts_at"])
    around = {"start": (start - timedelta(hours=1)).isoformat(), "end": (start + timedelta(hours=2)).isoformat()}
    found: set[int] = set()
    for calendar in (await client.get(demo["calendars"] + "/", headers=demo["admin"])).json():
        rows = (await client.get(demo["calendars"] + f"/{calendar['id']}/bookings", headers=demo["admin"],
                                 params=around)).json()
        found.update(b["id"] for b in rows if b["status"] == "confirmed")
    return found


async def test_allow_outside_hours_is_an_admin_decision(client, demo):
    calendars = (await client.get(demo["calendars"] + "/", headers=demo["agent"])).json()
    calendar = calendars[0]["id"]
    sunday = next_weekday(6)
    body = {"start": f"{sunday}T20:00:00+01:00", "end": f"{sunday}T20:30:00+01:00", "allow_outside_hours": True}
    refused = await client.post(demo["calendars"] + f"/{calendar}/bookings", headers=demo["agent"], json=body)
    assert refused.status_code == 403, refused.text
    assert refused.json()["errors"] == [{"field": "allow_outside_hours", "message":
                                         "Seul un administrateur peut réserver en dehors des heures d'ouverture."}]
    without = await client.post(demo["calendars"] + f"/{calendar}/bookings", headers=demo["agent"],
                                json={**body, "allow_outside_hours": False})
    assert without.status_code == 409  # closed then: the agent cannot force it
    allowed = await client.post(demo["calendars"] + f"/{calendar}/bookings", headers=demo["admin"], json=body)
    assert allowed.status_code == 201 and allowed.json()["outside_hours"] is True
    # a booking made through the API is the API's: the agent moves it (inside hours only) and cancels it
    booking = allowed.json()["id"]
    moved = await client.post(demo["calendars"] + f"/bookings/{booking}/move", headers=demo["agent"],
                              json={**body, "start": f"{sunday}T21:00:00+01:00", "end": f"{sunday}T21:30:00+01:00"})
    assert moved.status_code == 403 and moved.json()["errors"][0]["field"] == "allow_outside_hours"
    cancelled = await client.post(demo["calendars"] + f"/bookings/{booking}/cancel", headers=demo["agent"], json={})
    assert cancelled.status_code == 201, cancelled.text


async def test_the_api_cannot_make_a_booking_that_claims_to_be_the_modules(client, demo):
    calendar = (await client.get(demo["calendars"] + "/", headers=demo["admin"])).json()[0]["id"]
    sunday = next_weekday(6)
    response = await client.post(demo["calendars"] + f"/{calendar}/bookings", headers=demo["admin"], json={
        "start": f"{sunday}T20:00:00+01:00", "end": f"{sunday}T20:30:00+01:00", "allow_outside_hours": True,
        "source_plugin": "rdv_service_public"})
    assert response.status_code == 403
    assert response.json()["errors"][0]["field"] == "source_plugin"


async def test_rule_of_a_plage_and_closure_of_an_absence_are_the_modules(client, demo, configured_agent):
    plage, absence, calendar = configured_agent
    rule_url = demo["calendars"] + f"/{calendar}/rules/{plage['rule']}"
    refused = await client.delete(rule_url, headers=demo["admin"])
    assert refused.status_code == 403, refused.text
    assert refused.json()["detail"].startswith("Cette règle d'ouverture est gérée par le module « rdv_service_public »")
    exception = await client.post(rule_url + "/exceptions", headers=demo["admin"],
                                  json={"date": plage["first_day"]})
    assert exception.status_code == 403
    closure = await client.delete(demo["calendars"] + f"/closures/{absence['closure']}", headers=demo["admin"])
    assert closure.status_code == 403, closure.text
    assert "Cette fermeture est gérée par le module « rdv_service_public »" in closure.json()["detail"]
    rules = (await client.get(demo["calendars"] + f"/{calendar}/rules", headers=demo["admin"])).json()
    assert {r["source_plugin"] for r in rules if r["id"] == plage["rule"]} == {"rdv_service_public"}
    # the module's objects stay deletable, and take their rule and closure with them
    assert (await client.delete(demo["module"] + f"/plages/{plage['id']}", headers=demo["admin"])).status_code == 204
    assert (await client.delete(demo["module"] + f"/absences/{absence['id']}", headers=demo["admin"])
            ).status_code == 204
    rules = (await client.get(demo["calendars"] + f"/{calendar}/rules", headers=demo["admin"])).json()
    assert plage["rule"] not in {r["id"] for r in rules}
    closures = (await client.get(demo["calendars"] + "/closures", headers=demo["admin"])).json()
    assert absence["closure"] not in {c["id"] for c in closures}


async def test_rules_and_closures_made_through_the_api_stay_the_apis(client, demo):
    calendar = (await client.get(demo["calendars"] + "/", headers=demo["admin"])).json()[0]["id"]
    rule = await client.post(demo["calendars"] + f"/{calendar}/rules", headers=demo["admin"], json={
        "start": "18:00", "end": "19:00", "first_date": str(next_weekday(5)), "freq": "WEEKLY", "byday": "SA"})
    assert rule.status_code == 201 and rule.json()["source_plugin"] == ""
    closure = await client.post(demo["calendars"] + "/closures", headers=demo["admin"], json={
        "first_date": str(next_weekday(2)), "reason": "Inventaire"})
    assert closure.status_code == 201, closure.text
    assert (await client.delete(demo["calendars"] + f"/{calendar}/rules/{rule.json()['id']}",
                                headers=demo["admin"])).status_code == 204
    assert (await client.delete(demo["calendars"] + f"/closures/{closure.json()['id']}",
                                headers=demo["admin"])).status_code == 204


@pytest.fixture
async def configured_agent(client, demo):
    """A plage and an absence of etat-civil@ made through the module (by the admin), with their calendar."""
    agents = (await client.get(demo["module"] + "/agents", headers=demo["admin"])).json()
    member = next(a["id"] for a in agents if a["email"] == "etat-civil@saint-vallier.example")
    friday = next_weekday(4, 3)
    plage = await client.post(demo["module"] + "/plages", headers=demo["admin"], json={
        "member_id": member, "weekdays": [4], "first_day": str(friday), "start_time": "18:00", "end_time": "19:00"})
    assert plage.status_code == 201, plage.text
    absence = await client.post(demo["module"] + "/absences", headers=demo["admin"], json={
        "member_id": member, "starts_at": f"{friday + timedelta(days=7)}T08:00:00", "ends_at":
        f"{friday + timedelta(days=7)}T18:00:00", "label": "Formation"})
    assert absence.status_code == 201, absence.text
    calendars = (await client.get(demo["calendars"] + "/", headers=demo["admin"])).json()
    calendar = next(c["id"] for c in calendars if c["owner_kind"] == "rdv_service_public.agent"
                    and c["owner_ref"] == str(member))
    return plage.json(), absence.json(), calendar


async def test_a_plage_or_absence_whose_core_object_is_already_gone_stays_deletable(client, demo, configured_agent):
    """Databases from before the fix may hold a plage whose rule (or an absence whose closure) was deleted
    through the core API: the module deletes them all the same."""
    from core import calendar as cal
    from core.tenancy.tables import Organisation

    plage, absence, _ = configured_agent
    organisation = (await Organisation.select(Organisation.id).where(
        Organisation.slug == "mairie-de-saint-vallier").first())["id"]
    await cal.delete_rule(organisation, plage["rule"])
    await cal.delete_closure(organisation, absence["closure"])
    assert (await client.delete(demo["module"] + f"/plages/{plage['id']}", headers=demo["admin"])).status_code == 204
    assert (await client.delete(demo["module"] + f"/absences/{absence['id']}", headers=demo["admin"])
            ).status_code == 204
