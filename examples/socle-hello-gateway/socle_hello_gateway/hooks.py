"""The entry point of the module: MANIFEST and the hook implementations."""

from typing import Annotated, Any

import msgspec
from litestar import Request

from core.plugin_api import (
    BookingProposal,
    MenuItem,
    Office,
    Platform,
    Provider,
    SlotContent,
    SmsMessage,
    ValidationFailed,
    Widget,
    hookimpl,
)
from socle_hello_gateway import MANIFEST, routes, services

__all__ = ["MANIFEST"]


@hookimpl
def register_routes(platform: Platform) -> list[Any]:
    routes.PLATFORM[:] = [platform]
    return [routes.page, routes.add_from_form]


@hookimpl
def register_api_routes(platform: Platform) -> list[Any]:
    return [routes.list_greetings, routes.add_greeting]


@hookimpl
def register_public_routes(platform: Platform) -> list[Any]:
    return [routes.public_status]


@hookimpl
def register_menu_items(platform: Platform, office: Office) -> list[MenuItem]:
    return [MenuItem("Passerelle Hello", platform.office_url(office.id, "/"))]


@hookimpl
async def register_dashboard_widgets(platform: Platform, office: Office) -> list[Widget]:
    html = platform.render_fragment("hello_gateway/widget.html", count=await services.count(office.id))
    return [Widget("Passerelle Hello", html)]


@hookimpl
async def render_slot(
    platform: Platform, request: Request[Any, Any, Any], office: Office, slot: str, context: dict[str, Any]
) -> list[SlotContent]:
    """On the office's page, say how many greetings it has (plain text: escaped by the core)."""
    if slot != "office":
        return []
    return [SlotContent(text=f"Passerelle Hello : {await services.count(office.id)} salutation(s) pour ce bureau.")]


@hookimpl
def on_module_activated(platform: Platform, office_id: int) -> None:
    platform.log.info("Passerelle Hello activée pour le bureau %s", office_id)


@hookimpl
def validate_booking(booking: BookingProposal) -> None:
    """The gateway's partner receives nobody on Sundays: refuse such bookings in offices where it is active."""
    if booking.start.weekday() == 6:
        raise ValidationFailed.on("start", "La passerelle Hello ne prend pas de rendez-vous le dimanche.")


@hookimpl
async def on_module_purge(organisation_id: int, office_id: int) -> None:
    """The owner deleted the module's data for an office where it is inactive: its greetings go."""
    await services.purge(organisation_id, office_id)


class HelloSmsSettings(msgspec.Struct, kw_only=True):
    signature: Annotated[str, msgspec.Meta(title="Signature des SMS", max_length=30)] = "— Hello"


class HelloSms:
    """An "sms" provider (API 1.1) an office may choose on « Fournisseurs »: a demonstration that only logs the
    SMS, signed with that office's signature."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform

    async def send(self, message: SmsMessage) -> None:
        signature = message.settings.signature if message.settings else ""
        self.platform.log.info("SMS Hello (bureau %s) : %s %s", message.office_id, message.text, signature)


@hookimpl
def register_providers(platform: Platform) -> list[Provider]:
    return [Provider(kind="sms", key="hello_gateway.sms", label="SMS Hello (démonstration)",
                     implementation=HelloSms(platform), settings=HelloSmsSettings,
                     summary="N'envoie rien : écrit chaque SMS dans le journal de la plateforme.")]
