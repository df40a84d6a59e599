"""The module's per-office settings (MANIFEST.settings)."""

from typing import Annotated

import msgspec

from core.plugin_api import SECRET


class RobertSettings(msgspec.Struct, kw_only=True):
    sales_email: Annotated[str, msgspec.Meta(
        title="Courriel du service commercial", max_length=200,
        description="Reçoit les demandes de devis envoyées par « Commander »")] = "commercial@lerobert.example"
    support_email: Annotated[str, msgspec.Meta(
        title="Courriel du support Le Robert", max_length=200,
        description="Reçoit les demandes envoyées depuis « Contact »")] = "support-partenaires@lerobert.example"
    results_secret: Annotated[str, msgspec.Meta(
        title="Secret partagé des résultats", max_length=200,
        description="Clé HMAC avec laquelle la plateforme d'examen Le Robert signe l'envoi des scores "
                    "(aucun résultat n'est accepté tant qu'elle est vide)"), SECRET] = ""
