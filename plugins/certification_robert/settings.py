"""The module's per-office settings (MANIFEST.settings)."""

from typing import Annotated

import msgspec


class RobertSettings(msgspec.Struct, kw_only=True):
    sales_email: Annotated[str, msgspec.Meta(
        title="Courriel du service commercial", max_length=200,
        description="Reçoit les demandes de devis envoyées par « Commander »")] = "commercial@lerobert.example"
