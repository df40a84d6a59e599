"""The module's per-office settings (MANIFEST.settings): where the exam providers answer, and the office's
credentials (SECRET fields: stored encrypted with the platform's secret key, never shown back)."""

from typing import Annotated

import msgspec

from core.plugin_api import SECRET

SIMULATOR_URL = "http://127.0.0.1:8765"  # `socle sim rdvpermis` (`make run` starts it)
PRINTEL_SIMULATOR_URL = "http://127.0.0.1:8766"  # `socle sim printel` (`make run` starts it)


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
    printel_url: Annotated[str, msgspec.Meta(
        title="Adresse de Printel", max_length=300,
        description="Adresse de l'interface Printel (par défaut : le simulateur local)")] = PRINTEL_SIMULATOR_URL
    printel_login: Annotated[str, msgspec.Meta(
        title="Identifiant Printel", max_length=100,
        description="Identifiant de l'auto-école auprès de Printel")] = "socle"
    printel_password: Annotated[str, msgspec.Meta(
        title="Mot de passe Printel", max_length=200, description="Mot de passe Printel de l'auto-école"),
        SECRET] = "printel-socle"
    exam_minutes: Annotated[int, msgspec.Meta(
        title="Durée d'un examen dans l'agenda (minutes)", ge=15, le=480,
        description="Temps réservé dans l'agenda du bureau pour chaque examen, à partir de l'heure de "
                    "convocation (accueil, épreuve, retour du véhicule)")] = 60
