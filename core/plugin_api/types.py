"""Small public value types exchanged through hooks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
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
