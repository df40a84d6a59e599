"""Domain events raised by core services (bookings…), delivered to the plugins' `on_event` after commit.

Services do not know the plugin manager: the application binds a sink at start-up (`create_app` and the
worker bind `PluginManager.emit`, which calls `on_event` of the plugins active in the event's office).
`publish(event)` is called inside the write transaction of the change and queues the delivery on it
(`core.db.after_commit`): a booking that rolls back, or is refused, never reaches a plugin. Without a
bound sink (a bare script) events are dropped. `validate(proposal)` asks the bound validator (the plugins'
`validate_booking` / `validate_order`) before a change is written; without one every change passes.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from core import db

if TYPE_CHECKING:  # core.plugin_api imports core.calendar, which publishes events
    from core.plugin_api.types import BookingProposal, Event, OrderProposal

Sink = Callable[["Event"], Awaitable[None]]
Validator = Callable[["BookingProposal | OrderProposal"], Awaitable[None]]

log = logging.getLogger("socle.events")
_sink: Sink | None = None
_validator: Validator | None = None


def bind(sink: Sink | None) -> None:
    """Where events go from now on (None: nowhere)."""
    global _sink
    _sink = sink


def bind_validator(validator: Validator | None) -> None:
    """Who may refuse a change before it commits (`PluginManager.validate`: the plugins' validate_* hooks)."""
    global _validator
    _validator = validator


async def validate(proposal: BookingProposal | OrderProposal) -> None:
    """Inside the change's transaction, before it writes: raises ValidationFailed when a plugin refuses."""
    if _validator is not None:
        await _validator(proposal)


def publish(event: Event) -> None:
    """Inside the change's `write_transaction()`: deliver `event` once it has committed."""

    async def deliver() -> None:
        if _sink is None:
            log.debug("no event sink bound: %s dropped", type(event).__name__)
            return
        await _sink(event)

    db.after_commit(deliver)
