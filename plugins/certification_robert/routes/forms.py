"""What the step pages show: for each step its fields (name, label, kind, choices, required)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar.enums import RequestEncodingType
from litestar.params import Body

from plugins.certification_robert.services import steps

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
TITLES = {"identite": "Identité", "mot_de_passe": "Mot de passe", "informations": "Informations",
          "coordonnees": "Coordonnées", "divers": "Divers"}
YES_NO = {"oui": "Oui", "non": "Non"}


def _f(name: str, kind: str = "text", required: bool = False, choices: dict[str, str] | None = None) -> dict:
    return {"name": name, "label": steps.LABELS[name], "kind": kind, "required": required, "choices": choices}


FIELDS: dict[str, list[dict[str, Any]]] = {
    "identite": [_f("civilite", "radio", True, steps.CIVILITES), _f("nom", required=True),
                 _f("nom_naissance", required=True), _f("prenom", required=True),
                 _f("courriel", "email", True), _f("date_naissance", "date", True),
                 _f("code_postal_naissance", required=True), _f("commune_naissance", required=True),
                 _f("pays_naissance", required=True)],
    "mot_de_passe": [_f("mot_de_passe", "password", True), _f("confirmation", "password", True)],
    "informations": [_f("statut", "select", True, steps.EMPLOYEE), _f("financement", "select", True, steps.FUNDING)],
    "coordonnees": [_f("telephone", "tel"), _f("adresse"), _f("code_postal"), _f("commune"), _f("pays")],
    "divers": [_f("niveau_etudes"), _f("csp"), _f("francais_maternelle", "radio", False, YES_NO)],
}


def values_of(data: dict[str, Any], step: str) -> dict[str, Any]:
    values: dict[str, Any] = {f["name"]: _one(data, f["name"]) for f in FIELDS[step]}
    if step == "mot_de_passe":
        values["envoyer"] = _one(data, "envoyer") == "on"
    return values


def _one(data: dict[str, Any], name: str) -> str:
    raw = data.get(name, "")
    return str(raw[-1] if isinstance(raw, list) and raw else raw or "")
