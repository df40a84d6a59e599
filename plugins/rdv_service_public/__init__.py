"""Prise de rendez-vous pour les services publics: configuration, planning des agents, réservation en ligne."""

from decimal import Decimal

from core.plugin_api import Manifest, Permission, Role
from plugins.rdv_service_public.settings import RdvSettings

MANIFEST = Manifest(
    id="rdv_service_public",
    title="Prise de rendez-vous",
    summary="Motifs, agendas des agents et guichets, planning et réservation en ligne par les usagers.",
    price_ht=Decimal("29.00"),
    permissions=(
        Permission("rdv_service_public.agenda", "Gérer ses agendas et rendez-vous", Role.basic),
        Permission("rdv_service_public.configure", "Configurer la prise de rendez-vous", Role.admin),
    ),
    settings=RdvSettings,
    piccolo_app="plugins.rdv_service_public.piccolo_app",
)

__all__ = ["MANIFEST"]
