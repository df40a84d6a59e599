"""Agents book appointments: inside opening hours directly, outside only after confirming (and never for
a colleague outside the colleague's availability); basic agents only for themselves and agents of their
services; no double booking (also under concurrency); counters never over capacity; the citizen is
emailed (real loopback SMTP) only when the date, the motif or the existence changed."""

import asyncio

import pytest

from core.testing.fixtures import api_token
from core.testing.receivers import allow_loopback_webhooks

CITIZEN = "jeanne@example.org"


@pytest.fixture
def settings(settings):
    """test_appointment_events_reach_a_webhook registers an http://127.0.0.1 receiver."""
    return allow_loopback_webhooks(settings)


def at(day, hour):
    return f"{day.isoformat()}T{hour}:00"


def rdv(configured, hour="09:30", **extra):
    return {"motif_id": configured["motif"]["id"], "member_id": configured["agent_id"],
            "lieu_id": configured["lieu"]["id"], "starts_at": at(configured["monday"], hour),
            "citizen_name": "Jeanne Martin", "citizen_email": "jeanne@example.org", **extra}


async def test_agent_books_inside_hours_and_citizen_gets_email_with_ics(configured, mails):
    t = configured["town"]
    response = await t.call("POST", "/rdvs", configured["agent_headers"], json=rdv(configured))
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "a_venir" and "token" not in response.json()
    [message] = await mails(CITIZEN)
    assert "confirmé" in message["Subject"]
    parts = {part.get_content_type(): part for part in message.walk()}
    assert "text/calendar" in parts
    assert b"DTSTART:" in parts["text/calendar"].get_payload(decode=True)
    text = parts["text/plain"].get_payload(decode=True).decode()
    assert "Carte d'identité" in text and "/public/o/" in text


async def test_outside_hours_needs_confirmation(configured, mails):
    t, agent = configured["town"], configured["agent_headers"]
    refused = await t.call("POST", "/rdvs", agent, json=rdv(configured, "14:00"))
    assert refused.status_code == 409 and "Confirmez" in refused.json()["detail"]
    assert (await t.call("GET", "/rdvs", params={"start": at(configured["monday"], "00:00")})).json() == []
    assert (await mails(CITIZEN)) == []
    confirmed = await t.call("POST", "/rdvs", agent, json=rdv(configured, "14:00", confirm_outside_hours=True))
    assert confirmed.status_code == 201


async def test_colleague_books_for_agent_only_inside_availability(configured, add_member, client):
    t = configured["town"]
    colleague, email = await add_member(t.org, "basic", email="collegue@example.org")
    await t.call("PUT", f"/agents/{colleague}/services", json={"service_ids": [configured["service"]["id"]]})
    headers = await api_token(client, email)
    assert (await t.call("POST", "/rdvs", headers, json=rdv(configured))).status_code == 201
    outside = await t.call("POST", "/rdvs", headers, json=rdv(configured, "15:00", confirm_outside_hours=True))
    assert outside.status_code == 409 and "en dehors de ses disponibilités" in outside.json()["detail"]


async def test_basic_agent_of_another_service_is_refused(configured, add_member, client):
    t = configured["town"]
    other_service = await t.make("/services", {"name": "Urbanisme"})
    stranger, email = await add_member(t.org, "basic", email="urba@example.org")
    await t.call("PUT", f"/agents/{stranger}/services", json={"service_ids": [other_service["id"]]})
    headers = await api_token(client, email)
    assert (await t.call("POST", "/rdvs", headers, json=rdv(configured))).status_code == 403
    booked = await t.make("/rdvs", rdv(configured))
    assert (await t.call("GET", f"/rdvs/{booked['id']}", headers)).status_code == 403
    assert (await t.call("PATCH", f"/rdvs/{booked['id']}", headers, json={"status": "vu"})).status_code == 403
    assert (await t.call("GET", f"/rdvs/{booked['id']}", configured["agent_headers"])).status_code == 200


async def test_admin_books_for_anyone_and_other_organisation_gets_404(configured, town, add_member, client):
    t = configured["town"]
    _, email = await add_member(t.org, "admin", email="admin@example.org")
    admin = await api_token(client, email)
    booked = await t.make("/rdvs", rdv(configured, "16:00", confirm_outside_hours=True), admin)
    other = await town("Mairie B")
    assert (await other.call("GET", f"/rdvs/{booked['id']}")).status_code == 404
    assert (await other.call("DELETE", f"/rdvs/{booked['id']}")).status_code == 404
    assert (await t.call("GET", f"/rdvs/{booked['id']}", other.headers)).status_code == 404


async def test_the_same_slot_cannot_be_booked_twice(configured):
    t = configured["town"]
    assert (await t.call("POST", "/rdvs", json=rdv(configured))).status_code == 201
    again = await t.call("POST", "/rdvs", json=rdv(configured, "09:45", confirm_outside_hours=True))
    assert again.status_code == 409 and "déjà un rendez-vous" in again.json()["detail"]


async def test_concurrent_bookings_of_one_slot_give_one_appointment(configured):
    t = configured["town"]
    results = await asyncio.gather(*[t.call("POST", "/rdvs", json=rdv(configured, citizen_name=f"Usager {i}"))
                                     for i in range(8)])
    assert sorted(r.status_code for r in results) == [201] + [409] * 7
    listed = await t.call("GET", "/rdvs", params={"start": at(configured["monday"], "00:00")})
    assert len(listed.json()) == 1


async def test_counter_is_never_over_capacity(configured):
    t = configured["town"]
    counter = await t.make("/guichets", {"name": "Accueil", "capacity": 2,
                                         "motif_ids": [configured["motif"]["id"]]})
    booking = {"motif_id": configured["motif"]["id"], "guichet_id": counter["id"],
               "starts_at": at(configured["monday"], "10:00"), "citizen_name": "Usager"}
    assert (await t.call("POST", "/rdvs", json=booking)).status_code == 201
    assert (await t.call("POST", "/rdvs", json=booking)).status_code == 201
    full = await t.call("POST", "/rdvs", json=booking)
    assert full.status_code == 409 and "capacité 2" in full.json()["detail"]
    later = await t.call("POST", "/rdvs", json={**booking, "starts_at": at(configured["monday"], "10:30")})
    assert later.status_code == 201


async def test_counter_unavailability_blocks_unless_confirmed(configured):
    t = configured["town"]
    counter = (await t.call("GET", "/guichets")).json()[0]
    monday = configured["monday"]
    await t.make("/absences", {"guichet_id": counter["id"], "starts_at": at(monday, "08:00"),
                               "ends_at": at(monday, "18:00"), "label": "Travaux"})
    booking = {"motif_id": configured["motif"]["id"], "guichet_id": counter["id"],
               "starts_at": at(monday, "10:00"), "citizen_name": "Usager"}
    assert (await t.call("POST", "/rdvs", json=booking)).status_code == 409


async def test_email_only_when_date_motif_or_existence_changes(configured, mails):
    t = configured["town"]
    booked = await t.make("/rdvs", rdv(configured))
    assert len(await mails(CITIZEN)) == 1
    path = f"/rdvs/{booked['id']}"
    assert (await t.call("PATCH", path, json={"notes": "Apporter un justificatif"})).status_code == 200
    assert (await t.call("PATCH", path, json={"status": "vu"})).status_code == 200
    assert (await t.call("PATCH", path, json={"citizen_phone": "0601020304"})).status_code == 200
    assert len(await mails(CITIZEN)) == 1
    moved = await t.call("PATCH", path, json={"starts_at": at(configured["monday"], "11:00"), "status": "a_venir"})
    assert moved.status_code == 200, moved.text
    assert len(await mails(CITIZEN)) == 2 and "modifié" in (await mails(CITIZEN))[-1]["Subject"]
    other = await t.make("/motifs", {"name": "Passeport", "service_id": configured["service"]["id"]})
    changed = await t.call("PATCH", path, json={"motif_id": other["id"], "confirm_outside_hours": True})
    assert changed.status_code == 200, changed.text
    assert len(await mails(CITIZEN)) == 3
    assert (await t.call("DELETE", path)).status_code == 204
    assert len(await mails(CITIZEN)) == 4 and "annulé" in (await mails(CITIZEN))[-1]["Subject"]
    assert (await t.call("GET", path)).status_code == 404


async def test_bad_status_and_fields_are_named(configured):
    t = configured["town"]
    booked = await t.make("/rdvs", rdv(configured))
    bad = await t.call("PATCH", f"/rdvs/{booked['id']}", json={"status": "perdu"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "status"
    missing = await t.call("POST", "/rdvs", json=rdv(configured, citizen_name="", citizen_email="pas-un-mail"))
    assert missing.status_code == 422
    assert {"citizen_name", "citizen_email"} <= {e["field"] for e in missing.json()["errors"]}


async def test_cancelled_appointment_frees_its_slot(configured):
    t = configured["town"]
    booked = await t.make("/rdvs", rdv(configured))
    assert (await t.call("PATCH", f"/rdvs/{booked['id']}", json={"status": "annule"})).status_code == 200
    assert (await t.call("POST", "/rdvs", json=rdv(configured))).status_code == 201


async def test_appointment_events_reach_a_webhook(configured, client, mails):
    """Webhooks (core.notify) receive rdv_service_public.created / updated / deleted, signed."""
    import json

    from core.testing.receivers import WebhookReceiver

    t = configured["town"]
    with WebhookReceiver(secret="whsec_rdv_secret_1234567890") as receiver:
        response = await client.post("/api/v1/webhooks", headers=t.headers, json={
            "url": receiver.url, "events": ["rdv_service_public.*"], "secret": "whsec_rdv_secret_1234567890"})
        assert response.status_code == 201, response.text
        booked = await t.make("/rdvs", rdv(configured))
        await t.call("PATCH", f"/rdvs/{booked['id']}", json={"status": "vu"})
        await t.call("DELETE", f"/rdvs/{booked['id']}")
        await mails(CITIZEN)  # runs the worker, which also delivers the webhooks
        events = sorted(json.loads(d.body)["meta"]["event"] for d in receiver.deliveries)
        assert events == ["rdv_service_public.created", "rdv_service_public.deleted", "rdv_service_public.updated"]
        assert all(d.signature_ok for d in receiver.deliveries)
        assert json.loads(receiver.deliveries[0].body)["data"]["id"] == booked["id"]


async def test_basic_agent_lists_only_the_appointments_they_manage(configured, add_member, client):
    t = configured["town"]
    other_service = await t.make("/services", {"name": "Urbanisme"})
    stranger, email = await add_member(t.org, "basic", email="urba@example.org")
    await t.call("PUT", f"/agents/{stranger}/services", json={"service_ids": [other_service["id"]]})
    await t.make("/rdvs", rdv(configured))
    params = {"start": at(configured["monday"], "00:00")}
    assert len((await t.call("GET", "/rdvs", params=params)).json()) == 1  # owner (admin+)
    assert len((await t.call("GET", "/rdvs", configured["agent_headers"], params=params)).json()) == 1
    assert (await t.call("GET", "/rdvs", await api_token(client, email), params=params)).json() == []


async def test_intervenant_agenda_is_managed_by_the_agents(configured, add_member):
    """An intervenant has no login: agents add its plages and book on its agenda."""
    t, agent = configured["town"], configured["agent_headers"]
    intervenant, email = await add_member(t.org, "intervenant")
    assert email is None
    response = await t.call("POST", "/plages", agent, json={
        "member_id": intervenant, "weekdays": [0], "first_day": configured["monday"].isoformat(),
        "start_time": "14:00", "end_time": "16:00", "motif_ids": [configured["motif"]["id"]]})
    assert response.status_code == 201, response.text
    booked = await t.call("POST", "/rdvs", agent, json=rdv(configured, "14:30", member_id=intervenant))
    assert booked.status_code == 201, booked.text
    outside = await t.call("POST", "/rdvs", agent, json=rdv(configured, "17:00", member_id=intervenant))
    assert outside.status_code == 409 and "Confirmez" in outside.json()["detail"]
