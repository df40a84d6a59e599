"""Every hook a plugin may implement. Collect-all: each healthy plugin's implementation is called on its
own (a raising one is logged and skipped), async implementations are awaited, and hooks that concern an
office are only called for plugins active in that office. Implement a hook with `@hookimpl` and a
function of the same name; declare only the arguments you use (hooks only ever gain optional ones).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.plugin_api.markers import hookspec

if TYPE_CHECKING:
    from litestar import Request

    from core.accounts.account import Account
    from core.plugin_api.manifest import Permission
    from core.plugin_api.platform import Platform
    from core.plugin_api.types import (
        AccountSection,
        BookingProposal,
        CalendarSource,
        CliCommand,
        Event,
        JobSpec,
        OrderProposal,
        Provider,
        SlotContent,
        Widget,
    )
    from core.tenancy.actor import Actor
    from core.tenancy.tables import Office
    from core.web.shell import MenuItem

@hookspec
def register_routes(platform: Platform) -> list[Any]:
    """Litestar routers or handlers for office pages, called once at start-up (sync). Mounted under
    `/offices/{office_id}/m/<plugin id>/`: 404 where the module is inactive, 403 when the member's role is
    below the permission named in the handler's `opt={"permission": "<plugin id>.<action>"}`."""


@hookspec
def register_api_routes(platform: Platform) -> list[Any]:
    """Like `register_routes`, for JSON handlers mounted under `/api/v1/offices/{office_id}/m/<plugin id>/`
    (Bearer token authentication, same 404/403 gating)."""


@hookspec
def register_public_routes(platform: Platform) -> list[Any]:
    """Routers for the public (citizen pages, inbound gateway callbacks), called once at start-up (sync).
    Mounted under `/public/offices/{office_id}/m/<plugin id>/`, no login, 404 where inactive. Handlers that
    receive third-party callbacks set `opt={"exclude_from_csrf": True}`."""


@hookspec
def register_organisation_public_routes(platform: Platform) -> list[Any]:
    """Public routers for a whole organisation (one URL to publish, e.g. online booking), called once at
    start-up (sync). Mounted under `/public/o/{slug}/m/<plugin id>/`, no login, 404 unless the module is
    active in at least one office of the organisation; `platform.organisation(request)` gives it."""


@hookspec
def register_permissions(platform: Platform) -> list[Permission]:
    """Extra permissions beyond `MANIFEST.permissions` (names must start with `<plugin id>.`), collected
    at load; a name another plugin already defines marks this plugin failed."""


@hookspec
def register_menu_items(platform: Platform, request: Request[Any, Any, Any], actor: Actor,
                        office: Office) -> list[MenuItem]:
    """Navigation entries shown in `office`, only when the module is active there (may be async)."""


@hookspec
def register_dashboard_widgets(platform: Platform, request: Request[Any, Any, Any], actor: Actor,
                               office: Office) -> list[Widget]:
    """Dashboard cards shown in `office`, only when the module is active there (may be async)."""


@hookspec
def render_slot(platform: Platform, request: Request[Any, Any, Any], office: Office, slot: str,
                context: dict[str, Any]) -> list[SlotContent]:
    """Content for the named insertion point `slot` of a core page shown in `office`, only when the module is
    active there (may be async). `context` holds what the page shows (see docs/plugins.md)."""


@hookspec
def register_calendar_sources(platform: Platform) -> list[CalendarSource]:
    """Kinds of calendars the plugin owns (exam centres, counters…), collected at start-up (sync)."""


@hookspec
def register_jobs(platform: Platform) -> list[JobSpec]:
    """Background jobs the worker may run for this plugin, collected at start-up (sync)."""


@hookspec
def register_cli_commands(platform: Platform) -> list[CliCommand]:
    """Commands run as `socle plugins run <plugin id> <name> [args…]`, collected when the CLI starts."""


@hookspec
def on_module_activated(platform: Platform, organisation_id: int, office_id: int) -> None:
    """Called on this plugin only, after an order activated it for `office_id` (may be async)."""


@hookspec
def on_module_deactivated(platform: Platform, organisation_id: int, office_id: int) -> None:
    """Called on this plugin only, after an order deactivated it for `office_id`; its data is kept."""


@hookspec
def load_demo(platform: Platform, organisation_id: int, office_id: int) -> None:
    """`socle demo`: fill this plugin's demo data for an office where the demo activated it (may be async)."""


@hookspec
def on_event(platform: Platform, event: Event) -> None:
    """A domain event (`OrderPlaced`, `ModuleActivated`, `BookingCreated`…), delivered to plugins active in
    `event.office_id` (in any office of the organisation when it is None). Booking events arrive once the
    booking's transaction has committed. May be async."""


@hookspec
def validate_booking(platform: Platform, booking: BookingProposal) -> None:
    """Before a booking on a core calendar of an office where this plugin is active is taken or moved (inside
    its transaction, after the capacity check): raise `ValidationFailed` with a French message to refuse it;
    the message reaches the user, nothing is written, the refusal is audited. Any other exception is logged
    and ignored. May be async. (API 1.1)"""


@hookspec
def validate_order(platform: Platform, order: OrderProposal) -> None:
    """At checkout, before the order is placed, on plugins active in an office of the organisation or
    activated by this order: raise `ValidationFailed` to refuse it (same rules as `validate_booking`).
    May be async. (API 1.1)"""


@hookspec
def on_module_purge(platform: Platform, organisation_id: int, office_id: int) -> None:
    """« Supprimer les données du module »: the owner confirmed deleting this plugin's data for `office_id`,
    where it is no longer active. Delete (or anonymise) your rows of that office only, inside the caller's
    transaction; raise to refuse (everything then stays). Documents under a legal retention stay until their
    date. May be async. (API 1.1)"""


@hookspec
def register_providers(platform: Platform) -> list[Provider]:
    """Providers this plugin offers for a kind declared by the core ("sms") or by a module's
    `MANIFEST.provider_kinds`, collected at start-up (sync). Each office where the plugin is active may choose
    one per kind, with that provider's own settings. (API 1.1)"""


# -- « Mon espace »: the people offices serve (docs/plugins.md, section « Mon espace ») ---------------


@hookspec
def register_account_routes(platform: Platform) -> list[Any]:
    """Routers for the signed-in person, called once at start-up (sync). Mounted under
    `/mon-espace/m/<plugin id>/`: login required (any person, member of an organisation or not), no
    organisation or office in the URL, 404 while the module is not healthy. `platform.account(request)` is
    the person; answer 404 for any record that is not linked to them."""


@hookspec
def register_account_sections(platform: Platform, request: Request[Any, Any, Any],
                              account: Account) -> list[AccountSection]:
    """Cards for the « Mon espace » home page of `account` (may be async), healthy modules only; return
    an empty list when the module has nothing for this person."""


@hookspec
def export_account_data(platform: Platform, account: Account) -> dict[str, Any]:
    """A JSON-able dict of everything the module holds on `account` (« Mes données »), may be async.
    Strict: a raising implementation makes the whole export fail with the module's name."""


@hookspec
def erase_account(platform: Platform, account: Account) -> None:
    """The person deletes their account: delete or anonymise every record linked to them (records a law
    keeps stay until their date, without the identity where the law allows). May be async. Called before
    the core empties the user row; a raising implementation stops the deletion (nothing core-side erased)."""
