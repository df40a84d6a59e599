"""The ExamProvider interface: what an exam gateway (RdvPermis, Printel, a third party) can do.

Every operation is optional: a provider lists what it offers in ``capabilities`` and the module only
calls what is listed. Errors are ``ExamProviderError`` with a French message a school user can read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable

Capability = Literal["centres", "sessions", "mandates", "booking", "cancel", "planning", "capture", "assign"]
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


MandateState = Literal["requested", "confirmed", "refused", "revoked"]


@dataclass(frozen=True, slots=True)
class Mandate:
    neph: str
    state: MandateState
    confirm_url: str = ""
    mandate_id: str = ""


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
    exam_type: str = ""  # "voiture", "moto" or "" when the provider does not say (1.1 addition)
    start: dt.time | None = None  # the lot's local convocation time, None when the provider does not say (1.2)


@runtime_checkable
class ExamProvider(Protocol):
    """One exam gateway. Methods not in ``capabilities`` may raise NotImplementedError."""

    key: str
    label: str
    capabilities: frozenset[Capability]

    async def search_centres(self, departement: str, exam_type: ExamType) -> list[Centre]: ...

    async def week_sessions(self, centre_id: str, monday: dt.date) -> list[Slot]: ...

    async def mandate(self, neph: str, email: str, callback_url: str = "") -> Mandate: ...

    async def read_mandate(self, neph: str) -> Mandate: ...

    async def book(self, slot_id: str, neph: str, idempotency_key: str) -> Booking: ...

    async def cancel(self, booking_id: str) -> None: ...

    async def planning(self) -> list[Booking]: ...

    async def capture(self) -> list[AllocatedPlace]: ...

    async def assign(self, numero: str, cle: str, neph: str, idempotency_key: str) -> Booking:
        """Capability "assign": the élève (NEPH) on a place of lot numéro/clé; idempotent (ExamProviderError
        code "full" when every place is taken)."""
        ...

    async def release(self, numero: str, cle: str, neph: str) -> None:
        """Capability "assign": give the NEPH's place on the lot back; idempotent."""
        ...

    async def revoke_mandate(self, neph: str) -> Mandate: ...

    async def aclose(self) -> None: ...


@dataclass(frozen=True, slots=True)
class ExamProviderEntry:
    """One provider offered through ``register_exam_providers``: ``key`` unique (letters, digits, _ . -),
    ``label`` in French, ``capabilities`` what it can do, ``open(organisation_id, office_id)`` the provider for
    one office (with that office's credentials)."""

    key: str
    label: str
    capabilities: frozenset[Capability]
    open: Callable[[int, int], Awaitable[ExamProvider]]
    plugin_id: str = ""  # filled by the registry: the module that registered it


@dataclass(slots=True)
class ProviderRegistry:
    """The exam providers registered through the ``register_exam_providers`` hook, in registration order."""

    providers: dict[str, ExamProviderEntry] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def add(self, entry: ExamProviderEntry) -> None:
        if entry.key in self.providers:
            raise ValueError(f"exam provider {entry.key!r} registered twice")
        self.providers[entry.key] = entry
