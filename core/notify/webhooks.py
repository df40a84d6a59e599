"""Webhooks: `emit_event` puts one delivery per subscribed endpoint on the outbox; the worker POSTs it.

Body: `{"data": …, "meta": {"event", "model", "timestamp"}}`, frozen at emit time so every retry sends the
same bytes. Headers: `X-Socle-Signature` (hex HMAC-SHA256 of the body with the endpoint's secret),
`X-Socle-Event`, `X-Socle-Delivery` (the idempotency key: receivers deduplicate on it).

Deliveries go through the channel's own client (`pinned_http.vetted_client`, one per worker), never the worker's
shared one: the URL's scheme and credentials are checked again (`egress.url_problem`) and every address its host
resolves to — IP literals included — must be public (unless `settings.webhook_allow_private_networks`).
A refused destination is a permanent failure: the message goes to the dead letters at once, with the reason in
its log (an admin can replay it once the endpoint is fixed).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from typing import Any

import httpx
import msgspec

from core import db
from core.jobs import DeliveryFailed, JobContext, PermanentFailure, enqueue
from core.jobs.outbox import new_key, now
from core.notify.egress import ForbiddenDestination, UrlPolicy, url_problem
from core.notify.pinned_http import vetted_client
from core.notify.tables import WebhookEndpoint

KIND = "webhook"
SIGNATURE_HEADER = "X-Socle-Signature"
CLIENT_RESOURCE = "webhook_http"


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def subscribed(events: list[str], event: str) -> bool:
    return "*" in events or event in events or any(
        e.endswith(".*") and event.startswith(e[:-1]) for e in events)


def endpoint_ref(endpoint_id: int) -> str:
    return f"{KIND}:{endpoint_id}"


# Every booking emits an event: a raw read of the committed configuration (no query building, no thread hop).
_ENDPOINTS = (f"SELECT id, url, events FROM {WebhookEndpoint._meta.tablename} "
              "WHERE organisation = {} AND active = {}")


async def emit_event(organisation_id: int, event: str, model: str, data: Any, *, key: str | None = None) -> list[str]:
    """Queue `event` for every active endpoint of the organisation subscribed to it (inside your write
    transaction). `data` is anything msgspec encodes (dicts, Structs, dates, Decimals). Returns the keys."""
    endpoints = [{"id": row[0], "url": row[1], "events": json.loads(row[2]) if isinstance(row[2], str) else row[2]}
                 for row in await db.fetch_tuples(_ENDPOINTS, organisation_id, True, committed=True)]
    targets = [e for e in endpoints if subscribed(e["events"] or [], event)]
    if not targets:
        return []
    body = msgspec.json.encode({"data": data, "meta": {"event": event, "model": model,
                                                      "timestamp": now().isoformat()}}).decode()
    base = key or new_key("event")
    keys = []
    for endpoint in targets:
        keys.append(await enqueue(
            KIND, {"endpoint_id": endpoint["id"], "event": event, "body": body},
            key=f"{base}:{KIND}:{endpoint['id']}", organisation_id=organisation_id, ref=endpoint_ref(endpoint["id"]),
            summary=f"{event} → {endpoint['url']}"))
    return keys


async def deliver_webhook(context: JobContext) -> int | None:
    """POST the frozen body to the endpoint, re-read by id *and* organisation: a delivery never reaches an
    endpoint of another organisation, even one that got the id of a deleted one (ids are not reused, but
    this does not depend on it). An endpoint gone or switched off drops the delivery."""
    payload = context.payload
    endpoint = None
    if context.organisation_id is not None:
        endpoint = await WebhookEndpoint.objects().where(
            (WebhookEndpoint.id == payload["endpoint_id"])
            & (WebhookEndpoint.organisation == context.organisation_id)).first()
    if endpoint is None or not endpoint.active:
        raise PermanentFailure("Point de terminaison supprimé ou désactivé.")
    policy = UrlPolicy.of(context.settings)
    if problem := url_problem(endpoint.url, policy, check_host=False):  # the host: vetted once resolved
        raise PermanentFailure(f"Destination refusée : {problem}")
    body = payload["body"].encode()
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(endpoint.secret, body),
               "X-Socle-Event": payload["event"], "X-Socle-Delivery": context.key, "User-Agent": "Socle-Webhooks/1"}
    timeout = context.settings.worker.webhook_timeout_seconds
    if CLIENT_RESOURCE not in context.resources:  # no await in between: one client per worker
        context.resources[CLIENT_RESOURCE] = vetted_client(policy, timeout)
    http: httpx.AsyncClient = context.resources[CLIENT_RESOURCE]
    try:
        response = await asyncio.wait_for(http.post(endpoint.url, content=body, headers=headers, timeout=timeout),
                                          timeout)
    except ForbiddenDestination as error:
        raise PermanentFailure(str(error)) from error
    except (TimeoutError, httpx.TimeoutException) as error:
        raise DeliveryFailed(f"Délai dépassé ({timeout:g} s)") from error
    except httpx.HTTPError as error:
        raise DeliveryFailed(f"Connexion impossible : {type(error).__name__} {error}".strip()) from error
    if not 200 <= response.status_code < 300:
        raise DeliveryFailed(f"Réponse HTTP {response.status_code}", response.status_code)
    return response.status_code
