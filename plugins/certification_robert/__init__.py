"""Certification Le Robert: plateforme partenaire (commandes, stock, candidats, groupes, certifications)."""

from decimal import Decimal

from core.plugin_api import Manifest, Permission, Role
from plugins.certification_robert.settings import RobertSettings

MANIFEST = Manifest(
    id="certification_robert",
    title="Certification Le Robert",
    summary="Commandes de certifications, stock, candidats en cinq étapes, groupes et planification des examens.",
    price_ht=Decimal("39.00"),
    permissions=(
        Permission("certification_robert.candidates", "Gérer les candidats et les groupes", Role.basic),
        Permission("certification_robert.orders", "Commander des certifications et régler le module", Role.admin),
    ),
    settings=RobertSettings,
    piccolo_app="plugins.certification_robert.piccolo_app",
    api=">=1.4,<2",  # Platform.create_account (1.3: the candidate's account), change_account_email (1.4)
)

__all__ = ["MANIFEST"]
