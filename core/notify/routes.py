"""Webhooks API (/api/v1/webhooks, /api/v1/outbox) and the « Notifications & webhooks » page (admins+)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from litestar import Request, Router, delete, get, patch, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, JSONBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_204_NO_CONTENT

from core.auth.guards import CurrentActor, authenticated, require_role
from core.jobs.outbox import can_replay
from core.notify import services
from core.notify.egress import UrlPolicy
from core.notify.schemas import MessageOut, WebhookIn, WebhookOut, WebhookPatch, message_out, webhook_out
from core.tenancy.actor import Actor
from core.tenancy.roles import Role
from core.tenancy.tables import Office
from core.web.params import PathId
from core.web.shell import MenuItem, render

STATUS_LABELS = {"pending": "En attente", "sending": "En cours d'envoi", "sent": "Envoyé", "dead": "Abandonné"}
KIND_LABELS = {"email": "E-mail", "sms": "SMS", "webhook": "Webhook"}
PARIS = ZoneInfo("Europe/Paris")
Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
PAGE = "/config/notifications"

# -- API -----------------------------------------------------------------------------------------


def _policy(request: Request[Any, Any, Any]) -> UrlPolicy:
    return UrlPolicy.of(request.app.state.settings)


@get("/webhooks", summary="Les webhooks de l'organisation")
async def list_webhooks(actor: CurrentActor) -> list[WebhookOut]:
    return [webhook_out(e) for e in await services.list_endpoints(actor)]


@post("/webhooks", summary="Ajouter un webhook (le secret n'est renvoyé qu'ici)")
async def create_webhook(request: Request[Any, Any, Any], actor: CurrentActor, data: JSONBody[WebhookIn]) -> WebhookOut:
    endpoint = await services.create_endpoint(actor, data.url, data.events, data.description, data.secret,
                                              policy=_policy(request))
    return webhook_out(endpoint, with_secret=True)


@get("/webhooks/{endpoint_id:str}", summary="Un webhook")
async def get_webhook(actor: CurrentActor, endpoint_id: PathId) -> WebhookOut:
    return webhook_out(await services.get_endpoint(actor, endpoint_id))


@patch("/webhooks/{endpoint_id:str}", summary="Modifier un webhook (URL, événements, actif)")
async def patch_webhook(request: Request[Any, Any, Any], actor: CurrentActor, endpoint_id: PathId,
                        data: JSONBody[WebhookPatch]) -> WebhookOut:
    return webhook_out(await services.update_endpoint(actor, endpoint_id, url=data.url, events=data.events,
                                                      description=data.description, active=data.active,
                                                      policy=_policy(request)))


@delete("/webhooks/{endpoint_id:str}", status_code=HTTP_204_NO_CONTENT, summary="Supprimer un webhook")
async def delete_webhook(actor: CurrentActor, endpoint_id: PathId) -> None:
    await services.delete_endpoint(actor, endpoint_id)


@get("/webhooks/{endpoint_id:str}/deliveries", summary="Journal des envois d'un webhook")
async def webhook_deliveries(actor: CurrentActor, endpoint_id: PathId,
                             status: FromQuery[str | None] = None) -> list[MessageOut]:
    return [message_out(r) for r in await services.list_messages(actor, endpoint_id=endpoint_id, status=status)]


@get("/outbox", summary="Messages de l'organisation (e-mails, SMS, webhooks), du plus récent au plus ancien")
async def list_outbox(actor: CurrentActor, kind: FromQuery[str | None] = None,
                      status: FromQuery[str | None] = None) -> list[MessageOut]:
    return [message_out(r) for r in await services.list_messages(actor, kind=kind, status=status)]


@post("/outbox/{message_id:str}/replay", summary="Rejouer un message envoyé ou abandonné")
async def replay_outbox(actor: CurrentActor, message_id: PathId) -> MessageOut:
    return message_out(await services.replay_message(actor, message_id))


api = Router("/api/v1", route_handlers=[
    list_webhooks, create_webhook, get_webhook, patch_webhook, delete_webhook, webhook_deliveries, list_outbox,
    replay_outbox,
], guards=[authenticated, require_role(Role.admin)], tags=["notifications"])

# -- page ----------------------------------------------------------------------------------------


@get("/")
async def notifications_page(request: Request[Any, Any, Any], actor: CurrentActor,
                             statut: FromQuery[str | None] = None) -> Template:
    endpoints = [webhook_out(e) for e in await services.list_endpoints(actor)]
    messages = [_display(row) for row in await services.list_messages(actor, status=statut or None)]
    return await render(request, actor, "notify/admin.html", endpoints=endpoints, messages=messages,
                        status_filter=statut or "", status_labels=STATUS_LABELS)


def _local(moment: datetime | None) -> str:
    return moment.astimezone(PARIS).strftime("%d/%m/%Y %H:%M:%S") if moment else ""


def _display(row: dict[str, Any]) -> dict[str, Any]:
    kind = row["kind"]
    return {**row, "created": _local(row["created_at"]), "next": _local(row["next_attempt_at"]),
            "status_label": STATUS_LABELS.get(row["status"], row["status"]),
            "kind_label": KIND_LABELS.get(kind, "Tâche" if kind.startswith("job:") else kind),
            "replayable": can_replay(row["status"])}


@post("/webhooks")
async def create_webhook_form(request: Request[Any, Any, Any], actor: CurrentActor, data: Form) -> Redirect:
    endpoint = await services.create_endpoint(actor, data.get("url"), data.get("events", ""),
                                              data.get("description", ""), policy=_policy(request))
    flash(request, f"Webhook ajouté. Son secret de signature (à copier maintenant) : {endpoint.secret}",
          category="success")
    return Redirect(PAGE)


@post("/webhooks/{endpoint_id:str}/toggle")
async def toggle_webhook_form(request: Request[Any, Any, Any], actor: CurrentActor,
                              endpoint_id: FromPath[str]) -> Redirect:
    endpoint = await services.get_endpoint(actor, endpoint_id)
    endpoint = await services.update_endpoint(actor, endpoint.id, active=not endpoint.active)
    flash(request, f"Webhook {'activé' if endpoint.active else 'désactivé'} : {endpoint.url}", category="success")
    return Redirect(PAGE)


@post("/webhooks/{endpoint_id:str}/delete")
async def delete_webhook_form(request: Request[Any, Any, Any], actor: CurrentActor,
                              endpoint_id: FromPath[str]) -> Redirect:
    await services.delete_endpoint(actor, endpoint_id)
    flash(request, "Le webhook a été supprimé. Son journal d'envois reste consultable.", category="success")
    return Redirect(PAGE)


@post("/messages/{message_id:str}/replay")
async def replay_form(request: Request[Any, Any, Any], actor: CurrentActor, message_id: FromPath[str]) -> Redirect:
    row = await services.replay_message(actor, message_id)
    flash(request, f"Message remis en file d'envoi : {row['summary']}", category="success")
    return Redirect(PAGE)


pages = Router(PAGE, route_handlers=[
    notifications_page, create_webhook_form, toggle_webhook_form, delete_webhook_form, replay_form,
], guards=[require_role(Role.admin)], include_in_schema=False)


async def notifications_menu(request: Request[Any, Any, Any], actor: Actor, office: Office | None) -> list[MenuItem]:
    """Menu entry for admins and owners (registered on the app's `menu_providers`)."""
    return [MenuItem("Notifications & webhooks", PAGE)] if actor.role.at_least(Role.admin) else []


ROUTES = [api, pages]
