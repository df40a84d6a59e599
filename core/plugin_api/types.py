"""Small public value types exchanged through hooks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

import msgspec


class Widget(msgspec.Struct, frozen=True):
    """A dashboard card: a title and already-escaped HTML (render it with `Platform.render_fragment`)."""

    title: str
    html: str


class CalendarSource(msgspec.Struct, frozen=True):
    """A kind of calendar a plugin owns (an exam centre, a counter…): `key` is `<plugin id>.<kind>`."""

    key: str
    label: str
    capacity: int = 1


class JobSpec(msgspec.Struct, frozen=True):
    """A background job the worker runs: `handler(payload)` is awaited; `every_seconds` makes it periodic."""

    name: str
    handler: Callable[[dict[str, Any]], Awaitable[None]]
    every_seconds: int | None = None


class CliCommand(msgspec.Struct, frozen=True):
    """A command run as `socle plugins run <plugin id> <name> [args…]`; returns the exit code."""

    name: str
    help: str
    handler: Callable[[list[str]], Awaitable[int | None]]


class Event(msgspec.Struct, frozen=True, kw_only=True, tag=True):
    """A typed domain event. Subclasses name what happened; `office_id` None means organisation-wide."""

    organisation_id: int
    office_id: int | None = None


class OrderPlaced(Event, frozen=True, kw_only=True):
    order_id: int
    number: int
    modules: tuple[str, ...] = ()


class ModuleActivated(Event, frozen=True, kw_only=True):
    module: str


class ModuleDeactivated(Event, frozen=True, kw_only=True):
    module: str


class BookingCreated(Event, frozen=True, kw_only=True):
    """A booking was taken on a core calendar (by the calendar API or a module). Times are aware, in the
    calendar's zone; `created_by` is a member id (None for a citizen's online booking)."""

    calendar_id: int
    booking_id: int
    start: datetime
    end: datetime
    seats: int = 1
    source_plugin: str = ""
    source_ref: str = ""
    created_by: int | None = None
    outside_hours: bool = False


class BookingMoved(Event, frozen=True, kw_only=True):
    """A booking was moved on its calendar: `start`/`end` are the new times, `previous_*` the old ones."""

    calendar_id: int
    booking_id: int
    start: datetime
    end: datetime
    previous_start: datetime
    previous_end: datetime
    source_plugin: str = ""
    source_ref: str = ""
    by: int | None = None
    outside_hours: bool = False


class BookingCancelled(Event, frozen=True, kw_only=True):
    """A booking was cancelled (it is kept, with its history); its seats are free again."""

    calendar_id: int
    booking_id: int
    start: datetime
    end: datetime
    source_plugin: str = ""
    source_ref: str = ""
    by: int | None = None
    reason: str = ""


class BookingProposal(msgspec.Struct, frozen=True, kw_only=True):
    """A booking about to be taken (`booking_id` None) or moved on a core calendar, inside its transaction
    and after the capacity check: what `validate_booking` may refuse. Times are aware."""

    organisation_id: int
    office_id: int
    calendar_id: int
    start: datetime
    end: datetime
    seats: int = 1
    source_plugin: str = ""
    source_ref: str = ""
    created_by: int | None = None
    outside_hours: bool = False
    booking_id: int | None = None


class OrderLineProposal(msgspec.Struct, frozen=True, kw_only=True):
    office_id: int | None
    module: str
    action: str  # "activate" | "deactivate"
    unit_ht: Decimal


class OrderProposal(msgspec.Struct, frozen=True, kw_only=True):
    """The cart at checkout, before the order is placed: what `validate_order` may refuse."""

    organisation_id: int
    user_id: int | None
    lines: tuple[OrderLineProposal, ...]


class ProviderKind(msgspec.Struct, frozen=True, kw_only=True):
    """A kind of provider offices choose one of (API 1.1): the core declares "sms"; a module declares its own in
    `MANIFEST.provider_kinds`, and modules register providers for it (exam gateways use the hook passerelle_examens
    publishes instead, API 1.3). `label` is
    French (« Envoi des SMS »); `description` says what the chosen provider does."""

    key: str
    label: str
    description: str = ""


class Provider(msgspec.Struct, frozen=True, kw_only=True):
    """One provider a module offers for a kind (API 1.1), returned by `register_providers`. `key` is
    `<plugin id>.<name>` (at most 50 characters); `label` is French; `settings` an optional msgspec Struct of
    per-office settings (every field with a default, `SECRET` fields sealed); `implementation` the object the
    kind's caller uses (for "sms": an object with `async def send(self, message: SmsMessage) -> None`)."""

    kind: str
    key: str
    label: str
    implementation: Any
    settings: Any = None
    summary: str = ""


class SmsMessage(msgspec.Struct, frozen=True, kw_only=True):
    """One SMS handed to the office's chosen "sms" provider: `key` is the idempotency key (pass it to providers
    that deduplicate), `settings` the provider's settings for that office (secrets in clear; None without a
    settings Struct). Raise to fail: the worker retries, and repeated failures pause the provider for that
    office (the circuit breaker)."""

    to: str
    text: str
    key: str
    organisation_id: int
    office_id: int
    settings: Any = None


class AccountSection(msgspec.Struct, frozen=True, kw_only=True):
    """A card on the « Mon espace » home page: what a module has for the signed-in person. `href` is
    usually one of the module's account routes (`platform.account_url("/…")`); `count` a number shown
    as a badge (None: no badge)."""

    title: str
    text: str = ""
    href: str = ""
    count: int | None = None


SLOT_NAMES = ("dashboard", "office", "booking", "member", "public_head")


class SlotContent(msgspec.Struct, frozen=True, kw_only=True):
    """What a module puts in a named insertion point of a core page (API 1.2), returned by `render_slot`.

    Escaped by default: `text` is plain text (escaped); `template` is one of the module's templates
    (`<id>/….html`, rendered with autoescape and `context`). In the `public_head` slot only `stylesheet` and
    `script` count: paths inside the module's `static/` folder, linked as `/static/m/<id>/<path>` (CSP-safe:
    no inline code is ever written)."""

    text: str = ""
    template: str = ""
    context: dict[str, Any] = msgspec.field(default_factory=dict)
    stylesheet: str = ""
    script: str = ""
