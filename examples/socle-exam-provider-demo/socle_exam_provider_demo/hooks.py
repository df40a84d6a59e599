"""The module's hooks: its manifest and `register_exam_providers` (published by passerelle_examens)."""

from __future__ import annotations

import datetime as dt

from core.plugin_api import Manifest, Platform, hookimpl
from plugins.passerelle_examens.provider_api import (
    AllocatedPlace,
    Booking,
    Capability,
    Centre,
    ExamProviderEntry,
    ExamProviderError,
    ExamType,
    Mandate,
    Slot,
)

MANIFEST = Manifest(
    id="exam_provider_demo",
    title="Fournisseur d'examens de démonstration",
    summary="Un troisième fournisseur pour Passerelle Examens : des centres d'examen fictifs.",
    api=">=1.3,<2",
    depends=("passerelle_examens",),
)


class DemoCentres:
    """Deterministic centres, in memory: two per département and type."""

    key = "demo.centres"
    label = "Centres de démonstration"
    capabilities: frozenset[Capability] = frozenset({"centres"})

    def __init__(self, office_id: int) -> None:
        self.office_id = office_id

    async def search_centres(self, departement: str, exam_type: ExamType) -> list[Centre]:
        return [Centre(id=f"demo-{departement}-{exam_type}-{n}", name=f"Centre démo {departement} n° {n}",
                       departement=departement, exam_type=exam_type, city=f"Démoville {n}") for n in (1, 2)]

    async def week_sessions(self, centre_id: str, monday: dt.date) -> list[Slot]:
        raise ExamProviderError("Ce fournisseur de démonstration ne propose pas de places d'examen.")

    async def mandate(self, neph: str, email: str, callback_url: str = "") -> Mandate:
        raise ExamProviderError("Ce fournisseur de démonstration ne gère pas de mandats.")

    async def read_mandate(self, neph: str) -> Mandate:
        raise ExamProviderError("Ce fournisseur de démonstration ne gère pas de mandats.")

    async def revoke_mandate(self, neph: str) -> Mandate:
        raise ExamProviderError("Ce fournisseur de démonstration ne gère pas de mandats.")

    async def book(self, slot_id: str, neph: str, idempotency_key: str) -> Booking:
        raise ExamProviderError("Ce fournisseur de démonstration ne réserve pas.")

    async def cancel(self, booking_id: str) -> None:
        raise ExamProviderError("Ce fournisseur de démonstration ne réserve pas.")

    async def planning(self) -> list[Booking]:
        return []

    async def capture(self) -> list[AllocatedPlace]:
        return []

    async def aclose(self) -> None:
        return None


@hookimpl
def register_exam_providers(platform: Platform) -> list[ExamProviderEntry]:
    async def open_provider(organisation_id: int, office_id: int) -> DemoCentres:
        return DemoCentres(office_id)

    return [ExamProviderEntry(DemoCentres.key, DemoCentres.label, DemoCentres.capabilities, open_provider)]
