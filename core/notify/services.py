"""Rules for the organisation's webhook endpoints and its view of the outbox (admins and owners)."""

from __future__ import annotations

import re
import secrets
from typing import Any

from core import audit, db, jobs
from core.errors import Conflict
from core.jobs.outbox import can_replay
from core.jobs.tables import DEAD, PENDING, SENDING, STATUSES, OutboxMessage
from core.notify.egress import STRICT, UrlPolicy, url_problem
from core.notify.tables import WebhookEndpoint
from core.notify.webhooks import endpoint_ref
from core.tenancy.actor import Actor
from core.tenancy.roles import Role
from core.tenancy.validation import Checker

EVENT_RE = re.compile(r"^(\*|[a-z0-9_]+(\.[a-z0-9_]+)*(\.\*)?)$")
MESSAGE_LIMIT = 200
M = OutboxMessage


def _check_url(check: Checker, value: str | None, policy: UrlPolicy) -> str:
    """See core.notify.egress: https (http if allowed), no credentials, no internal IP literal or localhost."""
    url = (value or "").strip()
    if problem := url_problem(url, policy):
        check.add("url", problem)
    return url


def _check_events(check: Checker, value: Any) -> list[str]:
    if isinstance(value, str):
        value = [part.strip() for part in re.split(r"[,\s]+", value)]
    events = sorted({e for e in value or [] if isinstance(e, str) and e})
    if not events:
        check.add("events", "Choisissez au moins un événement (ou « * » pour tous).")
    elif bad := [e for e in events if not EVENT_RE.match(e) or len(e) > 100]:
        check.add("events", f"Nom d'événement invalide : {', '.join(bad[:3])}.")
    return events


def _check_secret(check: Checker, value: str | None) -> str:
    if value is None or value == "":
        return "whsec_" + secrets.token_hex(24)
    if not 16 <= len(value) <= 200:
        check.add("secret", "Le secret doit compter entre 16 et 200 caractères.")
    return value


async def list_endpoints(actor: Actor) -> list[WebhookEndpoint]:
    actor.require(Role.admin)
    return await actor.scope.objects(WebhookEndpoint).order_by(WebhookEndpoint.id)


async def get_endpoint(actor: Actor, endpoint_id: Any) -> WebhookEndpoint:
    actor.require(Role.admin)
    return await actor.scope.get(WebhookEndpoint, endpoint_id, "Ce webhook n'existe pas.")


async def create_endpoint(actor: Actor, url: str | None, events: Any, description: str | None = "",
                          secret: str | None = None, *, policy: UrlPolicy = STRICT) -> WebhookEndpoint:
    """`policy` comes from the settings (`UrlPolicy.of(settings)`); the default is the strict one."""
    actor.require(Role.admin)
    check = Checker()
    endpoint = WebhookEndpoint(organisation=actor.organisation_id, url=_check_url(check, url, policy),
                               events=_check_events(check, events), secret=_check_secret(check, secret),
                               description=(description or "").strip()[:200], active=True)
    check.done()
    async with db.write_transaction():
        await endpoint.save()
        await audit.record("webhook.created", organisation_id=actor.organisation_id, actor_user_id=actor.user_id,
                           target=f"webhook:{endpoint.id}", summary=f"Webhook ajouté : {endpoint.url}")
    return endpoint


async def update_endpoint(actor: Actor, endpoint_id: Any, *, url: str | None = None, events: Any = None,
                          description: str | None = None, active: bool | None = None,
                          policy: UrlPolicy = STRICT) -> WebhookEndpoint:
    endpoint = await get_endpoint(actor, endpoint_id)
    check = Checker()
    if url is not None:
        endpoint.url = _check_url(check, url, policy)
    if events is not None:
        endpoint.events = _check_events(check, events)
    check.done()
    if description is not None:
        endpoint.description = description.strip()[:200]
    if active is not None:
        endpoint.active = active
    async with db.write_transaction():
        await endpoint.save()
        await audit.record("webhook.updated", organisation_id=actor.organisation_id, actor_user_id=actor.user_id,
                           target=f"webhook:{endpoint.id}", summary=f"Webhook modifié : {endpoint.url}")
    return endpoint


CANCELLED_BY_DELETE = "Annulé : le webhook a été supprimé."


async def delete_endpoint(actor: Actor, endpoint_id: Any) -> None:
    """Deliveries stay in the log; in the same transaction, the ones not sent yet are cancelled (dead, with
    the reason), so nothing of this endpoint is ever posted afterwards."""
    endpoint = await get_endpoint(actor, endpoint_id)
    async with db.write_transaction():
        cancelled = {M.status: DEAD, M.locked_until: None, M.locked_by: "", M.last_error: CANCELLED_BY_DELETE}
        await M.update(cancelled).where(
            (M.organisation == actor.organisation_id) & (M.ref == endpoint_ref(endpoint.id))
            & M.status.is_in([PENDING, SENDING]))
        await WebhookEndpoint.delete().where(WebhookEndpoint.id == endpoint.id)
        await audit.record("webhook.deleted", organisation_id=actor.organisation_id, actor_user_id=actor.user_id,
                           target=f"webhook:{endpoint.id}", summary=f"Webhook supprimé : {endpoint.url}")


async def list_messages(actor: Actor, *, kind: str | None = None, status: str | None = None,
                        endpoint_id: Any = None, limit: int = MESSAGE_LIMIT) -> list[dict[str, Any]]:
    """The organisation's outbox, newest first (emails, SMS, webhook deliveries, jobs)."""
    actor.require(Role.admin)
    check = Checker()
    if status and status not in STATUSES:
        check.add("status", "Statut inconnu (pending, sending, sent ou dead).")
    check.done()
    query = actor.scope.select(M).order_by(M.id, ascending=False).limit(max(1, min(limit, MESSAGE_LIMIT)))
    if endpoint_id is not None:
        endpoint = await get_endpoint(actor, endpoint_id)
        query = query.where(M.ref == endpoint_ref(endpoint.id))
    if kind:
        query = query.where(M.kind == kind)
    if status:
        query = query.where(M.status == status)
    return await query.output(load_json=True)


async def replay_message(actor: Actor, message_id: Any) -> dict[str, Any]:
    actor.require(Role.admin)
    message = await actor.scope.get(M, message_id, "Ce message n'existe pas.")
    if not can_replay(message.status):
        raise Conflict("Ce message est déjà en attente d'envoi.")
    async with db.write_transaction():
        await jobs.replay(message)
        await audit.record("outbox.replayed", organisation_id=actor.organisation_id, actor_user_id=actor.user_id,
                           target=f"outbox:{message.id}", summary=f"Renvoi demandé : {message.summary}")
    [row] = await M.select().where(M.id == message.id).output(load_json=True)
    return row

