"""Webhooks reach a real HTTP receiver on loopback: signed body, retries after 500 and timeouts, dead letters,
replay; only active endpoints of the organisation subscribed to the event get it."""

from __future__ import annotations

import dataclasses
import json

import pytest

from core import db, notify
from core.jobs.tables import OutboxMessage
from core.notify import services
from core.notify.tables import WebhookEndpoint

SECRET = "whsec_test_secret_1234567890"


async def add_endpoint(org_id: int, url: str, events: list[str], active: bool = True, secret: str = SECRET) -> int:
    endpoint = WebhookEndpoint(organisation=org_id, url=url, events=events, secret=secret, active=active)
    await endpoint.save()
    return endpoint.id


async def deliveries():
    return await OutboxMessage.select().where(OutboxMessage.kind == "webhook").order_by(OutboxMessage.id)


async def test_event_is_posted_signed_to_subscribed_endpoints_only(client, make_org, receiver, drain):
    org, other = await make_org("Mairie A"), await make_org("Mairie B")
    wanted = await add_endpoint(org.organisation_id, receiver.url, ["booking.created"])
    await add_endpoint(org.organisation_id, receiver.url + "?all", ["*"])
    await add_endpoint(org.organisation_id, receiver.url + "?cancel", ["booking.cancelled"])
    await add_endpoint(org.organisation_id, receiver.url + "?off", ["*"], active=False)
    await add_endpoint(other.organisation_id, receiver.url + "?other", ["*"])
    async with db.write_transaction():
        keys = await notify.emit_event(org.organisation_id, "booking.created", "booking",
                                       {"id": 7, "start": "2026-12-03T09:00:00+01:00", "name": "Zoé Élise"})
    assert len(keys) == 2
    await drain()
    assert sorted(receiver.keys) == sorted(keys) and set(receiver.keys.values()) == {1}
    for delivery in receiver.deliveries:
        assert delivery.signature_ok
        body = json.loads(delivery.body)
        assert body["data"] == {"id": 7, "start": "2026-12-03T09:00:00+01:00", "name": "Zoé Élise"}
        assert body["meta"]["event"] == "booking.created" and body["meta"]["model"] == "booking"
        assert body["meta"]["timestamp"].endswith("+00:00")
        assert delivery.headers["X-Socle-Signature"] == notify.sign(SECRET, delivery.body)
        assert delivery.headers["X-Socle-Event"] == "booking.created"
    rows = await deliveries()
    assert {r["ref"] for r in rows} == {f"webhook:{wanted}", f"webhook:{wanted + 1}"}
    assert all((r["status"], r["response_code"], r["attempts"]) == ("sent", 200, 1) for r in rows)


async def test_no_subscriber_no_message(client, make_org):
    org = await make_org()
    assert await notify.emit_event(org.organisation_id, "booking.created", "booking", {"id": 1}) == []
    assert await OutboxMessage.count() == 0


async def test_retry_after_500_then_delivered(client, make_org, receiver, drain):
    org = await make_org()
    receiver.statuses = [500, 503]
    await add_endpoint(org.organisation_id, receiver.url, ["order.placed"])
    await notify.emit_event(org.organisation_id, "order.placed", "order", {"number": "2026-0001"})
    await drain()
    [row] = await deliveries()
    assert (row["status"], row["attempts"], row["response_code"], row["last_error"]) == ("sent", 3, 200, "")
    assert receiver.requests == 3 and len(receiver.deliveries) == 1


async def test_timeout_is_retried(client, make_org, receiver, drain, worker_settings):
    org = await make_org()
    receiver.statuses = ["hang"]
    await add_endpoint(org.organisation_id, receiver.url, ["*"])
    await notify.emit_event(org.organisation_id, "booking.changed", "booking", {"id": 3})
    worker_settings_one_try = worker_settings.worker.__class__(backoff_seconds=3600, webhook_timeout_seconds=0.5)

    await drain(dataclasses.replace(worker_settings, worker=worker_settings_one_try))
    [row] = await deliveries()
    assert (row["status"], row["attempts"], row["last_error"]) == ("pending", 1, "Délai dépassé (0.5 s)")
    await OutboxMessage.update({OutboxMessage.next_attempt_at: row["created_at"]}).where(OutboxMessage.id == row["id"])
    await drain()
    [row] = await deliveries()
    assert (row["status"], row["attempts"]) == ("sent", 2)
    assert len(receiver.deliveries) == 1


async def test_failing_peer_ends_in_dead_letters_and_can_be_replayed(client, make_org, receiver, drain):
    org = await make_org()
    receiver.statuses = [500, 500, 500]
    await add_endpoint(org.organisation_id, receiver.url, ["*"])
    await notify.emit_event(org.organisation_id, "booking.cancelled", "booking", {"id": 9})
    await drain()
    [row] = await deliveries()
    assert (row["status"], row["attempts"], row["response_code"], row["last_error"]) == (
        "dead", 3, 500, "Réponse HTTP 500")
    assert receiver.deliveries == []
    from core.testing.fixtures import api_token

    headers = await api_token(client, org.owner_email)
    replayed = await client.post(f"/api/v1/outbox/{row['id']}/replay", headers=headers)
    assert replayed.status_code == 201, replayed.text
    assert (replayed.json()["status"], replayed.json()["attempts"]) == ("pending", 0)
    again = await client.post(f"/api/v1/outbox/{row['id']}/replay", headers=headers)
    assert again.status_code == 409
    await drain()
    [row] = await deliveries()
    assert (row["status"], row["attempts"]) == ("sent", 1)
    assert list(receiver.keys.values()) == [1]


async def test_wrong_secret_is_refused_by_the_receiver(client, make_org, receiver, drain):
    org = await make_org()
    await add_endpoint(org.organisation_id, receiver.url, ["*"], secret="un-autre-secret-tres-long")
    await notify.emit_event(org.organisation_id, "x.y", "x", {})
    await drain()
    [row] = await deliveries()
    assert (row["status"], row["response_code"]) == ("dead", 401)


async def test_deleted_endpoint_fails_its_pending_deliveries_at_once(client, make_org, receiver, drain):
    org = await make_org()
    endpoint_id = await add_endpoint(org.organisation_id, receiver.url, ["*"])
    await notify.emit_event(org.organisation_id, "x.y", "x", {})
    await WebhookEndpoint.delete().where(WebhookEndpoint.id == endpoint_id)
    await drain()
    [row] = await deliveries()
    assert (row["status"], row["attempts"], row["last_error"]) == (
        "dead", 1, "Point de terminaison supprimé ou désactivé.")
    assert receiver.requests == 0


async def test_unreachable_endpoint_is_retried_with_the_error_kept(client, make_org, drain):
    org = await make_org()
    from core.testing.postgres import free_port

    await add_endpoint(org.organisation_id, f"http://127.0.0.1:{free_port()}/nobody", ["*"])
    await notify.emit_event(org.organisation_id, "x.y", "x", {})
    await drain()
    [row] = await deliveries()
    assert (row["status"], row["attempts"]) == ("dead", 3)
    assert row["last_error"].startswith("Connexion impossible")


@pytest.mark.nodb
def test_subscription_patterns():
    from core.notify.webhooks import subscribed

    assert subscribed(["booking.*"], "booking.created")
    assert not subscribed(["booking.*"], "order.placed")
    assert subscribed(["*"], "anything")
    assert not subscribed(["booking.created"], "booking.cancelled")
    assert services.EVENT_RE.match("booking.*") and not services.EVENT_RE.match("Booking Created")
