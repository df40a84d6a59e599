"""The module's per-office settings (MANIFEST.settings), edited by admins on « Réglages du module »."""

from typing import Annotated

import msgspec


class RdvSettings(msgspec.Struct, kw_only=True):
    public_message: Annotated[str, msgspec.Meta(
        title="Message aux usagers", max_length=500,
        description="Affiché en tête de la page de réservation en ligne, au-dessus des motifs (vide : aucun)")] = ""
    citizen_sms: Annotated[bool, msgspec.Meta(
        title="SMS aux usagers",
        description="Confirmation, modification, annulation et rappel aussi par SMS quand l'usager a donné "
                    "son numéro")] = True
