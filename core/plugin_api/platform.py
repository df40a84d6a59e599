"""The facade each plugin receives as `platform` in every hook: what it may ask of the core."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from core.config import Settings
from core.errors import NotFound

if TYPE_CHECKING:
    from litestar import Request
    from litestar.response import Template

    from core.accounts.account import Account
    from core.documents.services import DocumentInfo
    from core.plugin_api.data import ApiTokenInfo, OrganisationInfo, ServiceContract
    from core.plugin_api.types import Event
    from core.tenancy.actor import Actor
    from core.tenancy.tables import Office


class _Host(Protocol):  # the plugin manager, seen from a plugin
    settings: Settings

    async def is_active(self, plugin_id: str, office_id: int) -> bool: ...
    async def emit(self, event: Event) -> None: ...
    def render_fragment(self, template: str, context: dict[str, Any]) -> str: ...
    def record(self, plugin_id: str) -> Any: ...
    def published_by(self, name: str) -> str | None: ...
    async def call(self, name: str, plugin_ids: Any = None, **kwargs: Any) -> list[tuple[str, Any]]: ...
    async def active_ids(self, office_id: int) -> set[str]: ...
    def call_sync(self, name: str, plugin_ids: Any = None, **kwargs: Any) -> list[tuple[str, Any]]: ...


class Platform:
    """One per plugin. Plugins never import core internals: everything they need goes through here or
    through the names `core.plugin_api` re-exports."""

    def __init__(self, plugin_id: str, host: _Host) -> None:
        self.plugin_id = plugin_id
        self._host = host
        self.log = logging.getLogger(f"socle.plugins.{plugin_id}")

    @property
    def settings(self) -> Settings:
        return self._host.settings

    def office_url(self, office_id: int, path: str = "/") -> str:
        """URL of one of this plugin's office pages, e.g. `office_url(3, "/greetings")`."""
        return f"/offices/{office_id}/m/{self.plugin_id}{path}"

    def api_url(self, office_id: int, path: str = "/") -> str:
        return f"/api/v1/offices/{office_id}/m/{self.plugin_id}{path}"

    def public_url(self, office_id: int, path: str = "/") -> str:
        return f"/public/offices/{office_id}/m/{self.plugin_id}{path}"

    def organisation_public_url(self, slug: str, path: str = "/") -> str:
        return f"/public/o/{slug}/m/{self.plugin_id}{path}"

    def account_url(self, path: str = "/") -> str:
        """URL of one of this plugin's « Mon espace » pages, e.g. `account_url("/rendez-vous")`."""
        return f"/mon-espace/m/{self.plugin_id}{path}"

    def account(self, request: Request[Any, Any, Any]) -> Account:
        """The signed-in person of an account route (checked by the guard), or NotFound."""
        account = request.scope.get("socle_account")  # type: ignore[call-overload]
        if account is None:
            raise NotFound()
        return account  # type: ignore[no-any-return]

    async def render_account(self, request: Request[Any, Any, Any], template: str, *, status_code: int = 200,
                             **context: Any) -> Template:
        """A page inside the « Mon espace » shell (extend `accounts/_layout.html`, fill `content`)."""
        from core.accounts.pages import page

        return await page(request, self.account(request), template, status_code=status_code, **context)

    async def current_account(self, request: Request[Any, Any, Any]) -> Account | None:
        """The signed-in person on any page (a public booking form pre-filled for them), or None."""
        from core.accounts.guards import current_account

        return await current_account(request)

    async def create_account(self, email: str, password: str, *, full_name: str = "",
                             organisation_id: int | None = None) -> int | None:
        """(API 1.3) The « Mon espace » account of a person your staff registers with a password they chose
        (seed 002: a Le Robert candidate): created unverified, audited; returns its user id — keep it on your
        record, that is your claim. None when the email already has an account: its password is left as it is
        (say so on your form). ValidationFailed naming `email` or `password` (6 characters or more). Call it
        inside your write transaction."""
        from core.accounts import services

        return await services.create_for_person(email, password, full_name=full_name, module=self.plugin_id,
                                                organisation_id=organisation_id)

    async def change_account_email(self, account_id: int, email: str, *, organisation_id: int) -> str:
        """(API 1.4) Your staff corrected the email of a person whose account `create_account` made for
        `organisation_id`: the account's login follows (audited). ValidationFailed naming `email` when another
        account has that address, or when the person has taken the account over (verified an address, is a
        member somewhere): say so on your form. Call it inside your write transaction."""
        from core.accounts import services

        return await services.change_email_for_person(account_id, email, module=self.plugin_id,
                                                      organisation_id=organisation_id)

    async def store_document(self, *, organisation_id: int, kind: str, title: str, filename: str, content: bytes,
                             content_type: str, keep_until: date, office_id: int | None = None,
                             account_id: int | None = None, person_ref: str = "") -> DocumentInfo:
        """Keep a file owed to someone (`core.documents.store` with this plugin as `module`)."""
        from core.documents import services

        return await services.store(organisation_id=organisation_id, module=self.plugin_id, kind=kind, title=title,
                                    filename=filename, content=content, content_type=content_type,
                                    keep_until=keep_until, office_id=office_id, user_id=account_id,
                                    person_ref=person_ref)

    async def attach_documents(self, document_ids: list[int], account_id: int) -> int:
        """Give this plugin's documents that have no account yet to `account_id` (after a claim the plugin
        checked); returns how many. Call it inside your write transaction."""
        from core.documents import services

        return await services.attach(self.plugin_id, document_ids, account_id)

    async def schedule_job(self, name: str, payload: dict[str, Any] | None = None, *,
                           organisation_id: int | None = None, key: str | None = None) -> str:
        """Queue one run of this plugin's job `name` (from `register_jobs`, prefixed by the plugin id) for the
        worker, at least once. Call it inside your write transaction: the job exists iff your change commits."""
        from core.jobs import schedule

        if not name.startswith(self.plugin_id + "."):
            raise ValueError(f"job {name!r} is not prefixed by {self.plugin_id!r}")
        return await schedule(name, payload or {}, organisation_id=organisation_id, key=key)

    async def anonymise_bookings(self, organisation_id: int, booking_ids: list[int], label: str = "Anonyme") -> int:
        """Replace the label and notes of this plugin's core calendar bookings (a person erased their
        account); returns how many. Call it inside your write transaction."""
        from core.calendar.tables import Booking

        if not booking_ids:
            return 0
        rows = await Booking.update({Booking.label: label, Booking.notes: ""}).where(
            (Booking.organisation == organisation_id) & Booking.id.is_in(list(booking_ids))
            & (Booking.source_plugin == self.plugin_id)).returning(Booking.id)
        return len(rows)

    async def service_contract(self, office_id: int) -> ServiceContract | None:
        """The order that activated this plugin in `office_id` (the service contract: number and date), or
        None when the module is not active there or was switched on without an order (API 1.3)."""
        from core.commerce.tables import Order
        from core.modules.tables import ModuleActivation
        from core.plugin_api.data import ServiceContract

        row = await ModuleActivation.select(ModuleActivation.order).where(
            (ModuleActivation.office == office_id) & (ModuleActivation.module == self.plugin_id)
            & (ModuleActivation.active == True)).first()  # noqa: E712 (a Piccolo expression)
        if row is None or row["order"] is None:
            return None
        order = await Order.select(Order.id, Order.number, Order.created_at).where(Order.id == row["order"]).first()
        return None if order is None else ServiceContract(order["id"], order["number"], order["created_at"])

    async def create_api_token(self, actor: Actor, name: str) -> str:
        """A new bearer token for the signed-in member in their organisation, named `name` (100 characters);
        returns the secret, shown once (only its SHA-256 is kept). Revoked like any token (API 1.3)."""
        from core.auth import services
        from core.tenancy.tables import User

        user = await User.objects().where(User.id == actor.user_id).first()
        if user is None:
            raise NotFound()
        token, _ = await services.create_api_token(user, actor.organisation_id, name)
        return token

    async def api_tokens(self, actor: Actor, name_prefix: str = "") -> list[ApiTokenInfo]:
        """The member's tokens in their organisation whose name starts with `name_prefix` (API 1.3)."""
        from core.auth import services
        from core.plugin_api.data import ApiTokenInfo

        return [ApiTokenInfo(r["id"], r["name"], r["created_at"], r["revoked_at"] is not None)
                for r in await services.list_api_tokens(actor) if str(r["name"]).startswith(name_prefix)]

    async def revoke_api_token(self, actor: Actor, token_id: int) -> None:
        """Revoke one of the member's own tokens in their organisation (NotFound for anyone else's) (API 1.3)."""
        from core.auth import services

        await services.revoke_api_token_by_id(actor, token_id)

    def organisation(self, request: Request[Any, Any, Any]) -> OrganisationInfo:
        """The organisation of a gated organisation-level public request."""
        organisation = request.scope.get("socle_organisation")  # type: ignore[call-overload]
        if organisation is None:
            raise NotFound()
        return organisation  # type: ignore[no-any-return]

    def active_office_ids(self, request: Request[Any, Any, Any]) -> list[int]:
        """Offices of that organisation where this module is active (organisation-level public requests)."""
        return list(request.scope.get("socle_active_offices") or [])  # type: ignore[call-overload]

    async def is_active(self, office_id: int) -> bool:
        return await self._host.is_active(self.plugin_id, office_id)

    def office(self, request: Request[Any, Any, Any]) -> Office:
        """The office of the current gated request (checked by the guard: exists, visible, module active)."""
        office = request.scope.get("socle_office")  # type: ignore[call-overload]
        if office is None:
            raise NotFound()
        return office  # type: ignore[no-any-return]

    async def render(self, request: Request[Any, Any, Any], actor: Actor, template: str, /, *,
                     status_code: int = 200, **context: Any) -> Template:
        """A page inside the French layout; `template` is `<plugin id>/…` (templates are namespaced) and
        extends "layout.html". Every keyword but `status_code` is your page's own variable (`office`,
        `offices`… included); the layout reads only `shell` (the one reserved name, a TypeError if passed)."""
        from core.web.shell import render

        return await render(request, actor, template, shell_office=request.scope.get("socle_office"),  # type: ignore[call-overload]
                            status_code=status_code, **context)

    async def slot(self, request: Request[Any, Any, Any], office_id: int | None, name: str, **context: Any) -> Any:
        """The escaped HTML (`markupsafe.Markup`) the modules active in office `office_id` put in the named
        insertion point `name` (one of `SLOT_NAMES`) of your page: call it for `booking` on a booking's page and
        `public_head` in a public layout's head (API 1.2). Empty for None or an unknown office."""
        from core.plugins.slots import fill_slot
        from core.tenancy.tables import Office as OfficeRow

        office = None if office_id is None else await OfficeRow.objects().where(OfficeRow.id == office_id).first()
        return await fill_slot(request, office, name, **context)

    def render_fragment(self, template: str, **context: Any) -> str:
        """An HTML fragment (for dashboard widgets) rendered from one of this plugin's templates."""
        return self._host.render_fragment(template, context)

    async def emit(self, event: Event) -> None:
        """Deliver a domain event to `on_event` of the plugins active where it happened."""
        await self._host.emit(event)

    def _settings_struct(self) -> Any:
        from core.plugin_settings.services import require_struct

        record = self._host.record(self.plugin_id)
        return require_struct(record.manifest.settings if record and record.manifest else None)

    async def office_settings(self, organisation_id: int, office_id: int) -> Any:
        """This plugin's settings for an office: an instance of `MANIFEST.settings` (its defaults when
        nothing is stored; a stored field that no longer validates falls back to its default, logged)."""
        from core.plugin_settings import services

        return await services.read(self._settings_struct(), self.plugin_id, organisation_id, office_id,
                                   key=self.settings.secret_key)

    async def save_office_settings(self, actor: Actor, office_id: int, values: Mapping[str, Any]) -> Any:
        """Validate `values` (fields left out keep their value) and store them for the office (admins only).
        Raises ValidationFailed naming each refused field in French, Forbidden below admin, NotFound for
        another organisation's office. Returns the saved Struct."""
        from core.plugin_settings import services

        return await services.save(actor, self._settings_struct(), self.plugin_id, office_id, values,
                                   key=self.settings.secret_key)

    async def send_mail(self, to: str, subject: str, text: str,
                        attachments: list[tuple[str, str, bytes]] | None = None, *, html: str | None = None,
                        template: str | None = None, context: Mapping[str, Any] | None = None,
                        organisation_id: int | None = None) -> None:
        """Queue an email on the outbox; `attachments` are (filename, MIME type, content). Inside your write
        transaction it is committed (and later sent, at least once) together with your change.

        `html` adds an HTML alternative to `text`; or pass `template="<plugin id>/<name>"` and `context` to
        render both from `templates/<plugin id>/notify/<name>.txt` and `.html` (then `text` may be "").
        With `organisation_id` the message shows the organisation's name as sender and its email as
        Reply-To (the address stays the platform's)."""
        from core import notify
        from core.plugin_api import data

        sender_name = reply_to = None
        if organisation_id is not None:
            organisation = await data.organisation(organisation_id)
            sender_name, reply_to = organisation.name, organisation.email or None
        await notify.enqueue_email(
            to, subject, text=text or None, html=html, template=template, context=context,
            organisation_id=organisation_id, sender_name=sender_name, reply_to=reply_to,
            attachments=[notify.Attachment(filename, content, mime) for filename, mime, content in attachments or []])

    def _own_hook(self, name: str) -> None:
        if self._host.published_by(name) != self.plugin_id:
            raise ValueError(f"hook {name!r} is not published by {self.plugin_id!r} (MANIFEST.hookspecs)")

    async def call_hook(self, name: str, /, *, office_id: int | None = None, **kwargs: Any) -> list[tuple[str, Any]]:
        """Call a hook this module publishes (`MANIFEST.hookspecs`) on every healthy plugin implementing it, or only
        on those active in `office_id`; `kwargs` are the spec's arguments but `platform` (each implementation gets
        its own). Returns `(plugin id, result)` for each implementation that returned something; one that raises is
        logged and skipped, like any hook. Async implementations are awaited. (API 1.3)"""
        self._own_hook(name)
        ids = None if office_id is None else await self._host.active_ids(office_id)
        return await self._host.call(name, ids, **kwargs)

    def call_hook_sync(self, name: str, /, **kwargs: Any) -> list[tuple[str, Any]]:
        """Like `call_hook`, at start-up or outside an event loop: an async implementation is an error (logged,
        skipped). (API 1.3)"""
        self._own_hook(name)
        return self._host.call_sync(name, **kwargs)

    async def office_provider(self, kind: str, organisation_id: int, office_id: int) -> tuple[Any, Any] | None:
        """The provider an office uses for `kind` (the core's "sms", or a kind a module publishes in
        `MANIFEST.provider_kinds`) and that provider's settings for the office, secrets in clear (None without a
        settings Struct): `(Provider, settings)`, or None when the kind has no provider there. (API 1.1)"""
        from core.providers import services

        host: Any = self._host
        resolved = await services.resolve(host.providers(), host, kind, organisation_id, office_id,
                                          key=self.settings.secret_key)
        return None if resolved is None else (resolved.provider, resolved.settings)
