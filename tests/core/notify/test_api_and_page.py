"""Admins manage webhooks through /api/v1/webhooks and see the outbox on « Notifications & webhooks »:
bad input names the field, other organisations' ids answer 404, basic members 403."""

from __future__ import annotations

import pytest

from core import notify
from core.jobs.tables import OutboxMessage
from core.testing.fixtures import api_token, login, submit


async def test_admin_creates_lists_updates_and_deletes_a_webhook(client, make_org):
    org = await make_org()
    headers = await api_token(client, org.owner_email)
    created = await client.post("/api/v1/webhooks", headers=headers, json={
        "url": "https://exemple.fr/hook", "events": ["booking.created", "booking.cancelled"]})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["secret"].startswith("whsec_") and body["secret_hint"] == "…" + body["secret"][-4:]
    listed = (await client.get("/api/v1/webhooks", headers=headers)).json()
    assert [(w["url"], w["events"], w["secret"]) for w in listed] == [
        ("https://exemple.fr/hook", ["booking.cancelled", "booking.created"], None)]
    patched = await client.patch(f"/api/v1/webhooks/{body['id']}", headers=headers, json={"active": False})
    assert patched.json()["active"] is False
    assert (await client.delete(f"/api/v1/webhooks/{body['id']}", headers=headers)).status_code == 204
    assert (await client.get(f"/api/v1/webhooks/{body['id']}", headers=headers)).status_code == 404


@pytest.mark.parametrize(("payload", "fields"), [
    ({"url": "ftp://exemple.fr", "events": ["*"]}, {"url"}),
    ({"url": "https://", "events": []}, {"url", "events"}),
    ({"url": "https://exemple.fr/h", "events": ["Réservation créée"]}, {"events"}),
    ({"url": "https://exemple.fr/h", "events": ["*"], "secret": "court"}, {"secret"}),
])
async def test_bad_webhook_input_names_the_field(client, make_org, payload, fields):
    org = await make_org()
    headers = await api_token(client, org.owner_email)
    response = await client.post("/api/v1/webhooks", headers=headers, json=payload)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == fields
    assert (await client.get("/api/v1/webhooks", headers=headers)).json() == []


async def test_wrong_types_and_unknown_fields_are_422(client, make_org):
    org = await make_org()
    headers = await api_token(client, org.owner_email)
    response = await client.post("/api/v1/webhooks", headers=headers, json={"url": 3, "events": "*"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "url"


async def test_other_organisation_ids_answer_404_and_basic_members_403(client, make_org, add_member):
    org, other = await make_org("Mairie A"), await make_org("Mairie B")
    mine = await api_token(client, org.owner_email)
    theirs = await api_token(client, other.owner_email)
    created = (await client.post("/api/v1/webhooks", headers=theirs, json={
        "url": "https://b.example/h", "events": ["*"]})).json()
    await notify.emit_event(other.organisation_id, "x.y", "x", {})
    [message] = await OutboxMessage.select(OutboxMessage.id)
    assert (await client.get(f"/api/v1/webhooks/{created['id']}", headers=mine)).status_code == 404
    assert (await client.patch(f"/api/v1/webhooks/{created['id']}", headers=mine, json={"active": False})
            ).status_code == 404
    assert (await client.delete(f"/api/v1/webhooks/{created['id']}", headers=mine)).status_code == 404
    assert (await client.get(f"/api/v1/webhooks/{created['id']}/deliveries", headers=mine)).status_code == 404
    assert (await client.post(f"/api/v1/outbox/{message['id']}/replay", headers=mine)).status_code == 404
    assert (await client.get("/api/v1/outbox", headers=mine)).json() == []
    assert len((await client.get("/api/v1/outbox", headers=theirs)).json()) == 1
    _, basic_email = await add_member(org, "basic")
    basic = await api_token(client, basic_email)
    assert (await client.get("/api/v1/webhooks", headers=basic)).status_code == 403
    assert (await client.get("/api/v1/outbox", headers=basic)).status_code == 403
    assert (await client.get("/api/v1/outbox?status=perdu", headers=mine)).status_code == 422


async def test_page_lists_messages_and_replays_a_dead_one(client, make_org, add_member):
    org = await make_org()
    await notify.enqueue_email("camille@example.org", "Convocation", text="Bonjour",
                               organisation_id=org.organisation_id)
    await OutboxMessage.update({OutboxMessage.status: "dead", OutboxMessage.attempts: 8,
                                OutboxMessage.last_error: "Refus du serveur SMTP : 554 boîte pleine",
                                OutboxMessage.response_code: 554}).where(OutboxMessage.id > 0)
    await notify.enqueue_email("autre@example.org", "Ailleurs", text="x")  # no organisation: not listed
    await login(client, org.owner_email)
    page = await client.get("/config/notifications")
    assert page.status_code == 200
    html = page.text
    assert "Notifications &amp; webhooks" in html and 'href="/config/notifications"' in html
    assert "E-mail à camille@example.org : Convocation" in html and "Abandonné" in html
    assert "554 boîte pleine" in html and "Rejouer" in html and "autre@example.org" not in html
    [row] = await OutboxMessage.select().where(OutboxMessage.organisation == org.organisation_id)
    response = await submit(client, "/config/notifications", f"/config/notifications/messages/{row['id']}/replay", {})
    assert response.status_code in (302, 303)
    [row] = await OutboxMessage.select().where(OutboxMessage.organisation == org.organisation_id)
    assert (row["status"], row["attempts"]) == ("pending", 0)
    assert "Message remis en file d&#39;envoi" in (await client.get("/config/notifications")).text
    filtered = await client.get("/config/notifications?statut=dead")
    assert "camille@example.org" not in filtered.text


async def test_page_form_creates_a_webhook_and_reports_bad_input_in_french(client, make_org):
    org = await make_org()
    await login(client, org.owner_email)
    bad = await submit(client, "/config/notifications", "/config/notifications/webhooks",
                       {"url": "pas une url", "events": "booking.created"})
    assert bad.status_code in (302, 303)
    page = await client.get("/config/notifications")
    assert "Adresse du webhook invalide" in page.text
    good = await submit(client, "/config/notifications", "/config/notifications/webhooks",
                        {"url": "https://exemple.fr/h", "events": "booking.created, booking.cancelled"})
    assert good.status_code in (302, 303)
    page = await client.get("/config/notifications")
    assert "https://exemple.fr/h" in page.text and "booking.cancelled, booking.created" in page.text
    assert "secret de signature" in page.text


async def test_basic_member_cannot_open_the_page(client, make_org, add_member):
    org = await make_org()
    _, email = await add_member(org, "basic")
    await login(client, email)
    assert (await client.get("/config/notifications")).status_code == 403
    dashboard = await client.get("/dashboard")
    assert "Notifications &amp; webhooks" not in dashboard.text
