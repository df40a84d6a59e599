"""Security issue 10.1: a webhook delivery of organisation B never reaches organisation A.

The reported sequence: B registers a webhook (receiver answering 500), changes an appointment (the delivery
is pending), deletes the webhook; A registers one, which on SQLite used to get the same id, and received B's
`rdv_service_public.updated` with B's appointment. Now the new endpoint has a new id, deleting an endpoint
cancels its pending deliveries in the same transaction, and a delivery re-reads its endpoint scoped by its
organisation."""

from __future__ import annotations

import dataclasses
import json

import pytest

from core import jobs
from core.config import WorkerSettings
from core.jobs.tables import OutboxMessage
from core.notify.services import CANCELLED_BY_DELETE
from core.notify.tables import WebhookEndpoint
from core.testing.fixtures import api_token
from core.testing.receivers import WebhookReceiver, allow_loopback_webhooks
from tests.plugins.rdv_service_public.test_booking import rdv

SECRET_A, SECRET_B = "whsec_org_a_secret_123456", "whsec_org_b_secret_123456"


@pytest.fixture
def settings(settings):
    return allow_loopback_webhooks(settings)


def worker(settings, backoff: float):
    return jobs.Worker(dataclasses.replace(settings, worker=WorkerSettings(
        backoff_seconds=backoff, max_attempts=5, poll_seconds=0.05, webhook_timeout_seconds=2.0)),
        jobs.default_registry)


async def test_deleted_endpoint_of_b_never_delivers_to_a(configured, client, make_org, settings):
    town_b = configured["town"]
    org_a = await make_org("Mairie A")
    headers_a = await api_token(client, org_a.owner_email)
    with WebhookReceiver(secret=SECRET_B, statuses=[500] * 50) as receiver_b, \
            WebhookReceiver(secret=SECRET_A) as receiver_a:
        created = await client.post("/api/v1/webhooks", headers=town_b.headers, json={
            "url": receiver_b.url, "events": ["rdv_service_public.*"], "secret": SECRET_B})
        assert created.status_code == 201, created.text
        endpoint_b = created.json()["id"]
        booked = await town_b.make("/rdvs", rdv(configured))
        assert (await town_b.call("PATCH", f"/rdvs/{booked['id']}", json={"notes": "Pièces à apporter"})
                ).status_code == 200
        await worker(settings, backoff=3600).run(until_idle=True)  # B's receiver answers 500: retry in an hour
        pending = await OutboxMessage.select().where(OutboxMessage.ref == f"webhook:{endpoint_b}")
        assert pending and {m["status"] for m in pending} == {"pending"} and receiver_b.requests >= 1

        assert (await client.delete(f"/api/v1/webhooks/{endpoint_b}", headers=town_b.headers)).status_code == 204
        created_a = await client.post("/api/v1/webhooks", headers=headers_a, json={
            "url": receiver_a.url, "events": ["*"], "secret": SECRET_A})
        assert created_a.status_code == 201, created_a.text
        assert created_a.json()["id"] != endpoint_b  # ids are never reused

        await OutboxMessage.update({OutboxMessage.next_attempt_at: OutboxMessage.created_at}).where(
            OutboxMessage.ref == f"webhook:{endpoint_b}")  # due now, were they still pending
        await worker(settings, backoff=0).run(until_idle=True)
        assert receiver_a.requests == 0 and receiver_a.deliveries == []
        cancelled = await OutboxMessage.select().where(OutboxMessage.ref == f"webhook:{endpoint_b}")
        assert {(m["status"], m["last_error"]) for m in cancelled} == {("dead", CANCELLED_BY_DELETE)}
        # B's log (deliveries of the deleted endpoint) is not A's to read
        outbox_a = (await client.get("/api/v1/outbox", headers=headers_a)).json()
        assert all(str(booked["id"]) not in json.dumps(m) for m in outbox_a if m["kind"] == "webhook")


async def test_a_delivery_only_reaches_an_endpoint_of_its_own_organisation(configured, client, make_org, settings):
    """Defence in depth, whatever the ids: a delivery of B naming an endpoint of A (a reused id) is dropped."""
    town_b = configured["town"]
    org_a = await make_org("Mairie A")
    with WebhookReceiver(secret=SECRET_A) as receiver_a:
        endpoint_a = WebhookEndpoint(organisation=org_a.organisation_id, url=receiver_a.url, secret=SECRET_A,
                                     events=["*"])
        await endpoint_a.save()
        await jobs.enqueue("webhook", {"endpoint_id": endpoint_a.id, "event": "rdv_service_public.updated",
                                       "body": json.dumps({"data": {"citizen_name": "Jeanne Martin"}})},
                           organisation_id=town_b.org.organisation_id, ref=f"webhook:{endpoint_a.id}")
        await worker(settings, backoff=0).run(until_idle=True)
        assert receiver_a.requests == 0
        [message] = await OutboxMessage.select().where(OutboxMessage.kind == "webhook")
        assert message["status"] == "dead" and "supprimé" in message["last_error"]
