"""The module's per-office settings (MANIFEST.settings): where the exam provider answers, and its credentials."""

from typing import Annotated

import msgspec

from core.plugin_api import SECRET

SIMULATOR_URL = "http://127.0.0.1:8765"  # `python -m plugins.passerelle_examens.simulators.rdvpermis`


class ExamSettings(msgspec.Struct, kw_only=True):
    rdvpermis: Annotated[bool, msgspec.Meta(
        title="Participer à l'expérimentation RdvPermis",
        description="Chercher et réserver les sessions d'examen de ce bureau sur RdvPermis")] = True
    base_url: Annotated[str, msgspec.Meta(
        title="Adresse de RdvPermis", max_length=300,
        description="Adresse de l'interface RdvPermis (par défaut : le simulateur local)")] = SIMULATOR_URL
    client_id: Annotated[str, msgspec.Meta(
        title="Identifiant RdvPermis", max_length=100,
        description="Identifiant client de l'auto-école auprès de RdvPermis")] = "socle"
    client_secret: Annotated[str, msgspec.Meta(
        title="Secret RdvPermis", max_length=200, description="Secret client fourni par RdvPermis"),
        SECRET] = "secret-socle"
