"""Enregistrement des formations des conducteurs professionnels (FIMO, FCO, passerelle, formation longue,
Éducation nationale), leurs certificats de qualification et l'espace conducteur (seed 003).

State: the controls (services/controls.py, rules.py), the files (services/files.py) and the PDF contexts
(services/documents.py) are built and tested; the pages offer « Mes sessions » with the file templates,
gated by the per-member grant « Enregistrer des sessions » (core.grants). After an import, jobs render each
line's two PDFs as core documents (services/issuing.py); drivers claim their lines in « Mon espace »
(services/drivers.py, routes/account.py; 5 failed claims an hour per account at most) and request their CQC
card there (services/cards.py). « Nouvel enregistrement » chooses the profile then the mode (routes/profiles.py:
formateurs and moniteurs manual only, the centre says whether it pays their CQC fee; they get a notification, no
documents). The order that activated the module is shown as the service contract; the monthly statement has a
PDF invoice (/releve.pdf); « Souscrire à l'API » (/souscription-api) hands out a core API token."""

from decimal import Decimal

from core.plugin_api import Manifest, Permission, Role

SESSIONS = "formation_cqc.sessions"
CONFIGURE = "formation_cqc.configure"

MANIFEST = Manifest(
    id="formation_cqc",
    title="Formations CQC",
    summary="Enregistrement des sessions FIMO, FCO et passerelles, certificats de qualification et espace conducteur.",
    price_ht=Decimal("0.00"),
    permissions=(
        Permission(SESSIONS, "Enregistrer des sessions de formation", Role.basic, granted=True),
        Permission(CONFIGURE, "Gérer les agréments du centre", Role.admin),
    ),
    documents_permission=SESSIONS,  # the drivers' PDFs: only members granted « Enregistrer des sessions »
    piccolo_app="plugins.formation_cqc.piccolo_app",
    api=">=1.4,<2",  # Platform.service_contract, create_api_token, api_tokens (1.3); documents_permission (1.4)
)

__all__ = ["CONFIGURE", "MANIFEST", "SESSIONS"]
