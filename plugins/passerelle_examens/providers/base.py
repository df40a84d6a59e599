"""The ExamProvider interface: what an exam gateway (RdvPermis, Printel, a third party) can do.

Every operation is optional: a provider lists what it offers in ``capabilities`` and the module only
calls what is listed. Errors are ``ExamProviderError`` with a French message a school user can read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable

Capability = Literal["centres", "sessions", "mandates", "booking", "cancel", "planning", "capture"]
ExamType = Literal["voiture", "moto"]


class ExamProviderError(Exception):
    """A provider failure, with a French message meant for the user."""

    def __init__(self, message: str, *, retryable: bool = False, code: str = "provider") -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.code = code


@dataclass(frozen=True, slots=True)
class Centre:
    id: str
    name: str
    departement: str
    exam_type: ExamType
    city: str


@dataclass(frozen=True, slots=True)
class Slot:
    centre_id: str
    day: dt.date
    inspector: str
    free_places: int
    slot_id: str
    start: dt.time = dt.time(8, 0)  # convocation time (1.x addition, default for providers that omit it)


@dataclass(frozen=True, slots=True)
class Mandate:
    neph: str
    state: Literal["requested", "confirmed", "refused", "revoked"]
    confirm_url: str = ""


@dataclass(frozen=True, slots=True)
class Booking:
    booking_id: str
    slot_id: str
    neph: str
    idempotency_key: str


@dataclass(frozen=True, slots=True)
class AllocatedPlace:
    numero: str
    lieu: str
    day: dt.date
    places: int
    cle: str


@runtime_checkable
class ExamProvider(Protocol):
    """One exam gateway. Methods not in ``capabilities`` may raise NotImplementedError."""

    key: str
    label: str
    capabilities: frozenset[Capability]

    async def search_centres(self, departement: str, exam_type: ExamType) -> list[Centre]: ...

    async def week_sessions(self, centre_id: str, monday: dt.date) -> list[Slot]: ...

    async def mandate(self, neph: str, email: str) -> Mandate: ...

    async def read_mandate(self, neph: str) -> Mandate: ...

    async def book(self, slot_id: str, neph: str, idempotency_key: str) -> Booking: ...

    async def cancel(self, booking_id: str) -> None: ...

    async def planning(self) -> list[Booking]: ...

    async def capture(self) -> list[AllocatedPlace]: ...


@dataclass(slots=True)
class ProviderRegistry:
    """The exam providers registered through the ``register_exam_providers`` hook."""

    providers: dict[str, ExamProvider] = field(default_factory=dict)

    def add(self, provider: ExamProvider) -> None:
        if provider.key in self.providers:
            raise ValueError(f"exam provider {provider.key!r} registered twice")
        self.providers[provider.key] = provider
