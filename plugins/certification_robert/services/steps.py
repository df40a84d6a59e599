"""The five steps of a candidate's creation: which fields each step has, which are required, their formats.
Pure functions: `check(step, values)` returns the cleaned values or raises ValidationFailed naming every field."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from core.plugin_api import FieldError, ValidationFailed

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
POSTCODE_RE = re.compile(r"^\d{5}$")
STEPS = ("identite", "mot_de_passe", "informations", "coordonnees", "divers")
REQUIRED_STEPS = ("identite", "mot_de_passe", "informations")
CIVILITES = {"madame": "Madame", "monsieur": "Monsieur"}
EMPLOYEE = {"salarie": "Salarié", "demandeur_emploi": "Demandeur d'emploi", "etudiant": "Étudiant",
            "independant": "Indépendant", "autre": "Autre"}
FUNDING = {"cpf": "Compte personnel de formation (CPF)", "employeur": "Employeur", "personnel": "Personnel",
           "pole_emploi": "France Travail", "autre": "Autre"}
MIN_PASSWORD = 6

LABELS = {"civilite": "Civilité", "nom": "Nom", "nom_naissance": "Nom de naissance", "prenom": "Prénom",
          "courriel": "Courriel", "date_naissance": "Date de naissance",
          "code_postal_naissance": "Code postal de naissance", "commune_naissance": "Commune de naissance",
          "pays_naissance": "Pays de naissance", "mot_de_passe": "Mot de passe",
          "confirmation": "Confirmation du mot de passe", "statut": "Statut", "financement": "Financement",
          "telephone": "Téléphone", "adresse": "Adresse de résidence", "code_postal": "Code postal de résidence",
          "commune": "Commune de résidence", "pays": "Pays de résidence", "niveau_etudes": "Niveau d'études",
          "csp": "Catégorie socio-professionnelle", "francais_maternelle": "Le français est-il votre langue maternelle"}


def _text(values: dict[str, Any], name: str, errors: list[FieldError], required: bool, max_len: int = 200) -> str:
    raw = values.get(name)
    value = raw.strip() if isinstance(raw, str) else ""
    if raw is not None and not isinstance(raw, str):
        errors.append(FieldError(name, f"« {LABELS[name]} » doit être un texte."))
    elif required and not value:
        errors.append(FieldError(name, f"« {LABELS[name]} » est obligatoire."))
    elif len(value) > max_len:
        errors.append(FieldError(name, f"« {LABELS[name]} » ne doit pas dépasser {max_len} caractères."))
    return value


def _choice(values: dict[str, Any], name: str, options: dict[str, str], errors: list[FieldError],
            required: bool = True) -> str:
    value = values.get(name) or ""
    if not value and not required:
        return ""
    if value not in options:
        errors.append(FieldError(name, f"Choisissez « {LABELS[name]} » dans la liste."))
    return str(value)


def _identite(v: dict[str, Any], errors: list[FieldError]) -> dict[str, Any]:
    out = {"civilite": _choice(v, "civilite", CIVILITES, errors)}
    for name in ("nom", "nom_naissance", "prenom", "commune_naissance", "pays_naissance"):
        out[name] = _text(v, name, errors, required=True)
    out["courriel"] = _text(v, "courriel", errors, required=True, max_len=254).lower()
    if out["courriel"] and not EMAIL_RE.match(out["courriel"]):
        errors.append(FieldError("courriel", "Saisissez un courriel valide, par exemple nom@exemple.fr."))
    birth = _text(v, "date_naissance", errors, required=True, max_len=10)
    if birth:
        try:
            day = date.fromisoformat(birth)
            if not date(1900, 1, 1) <= day <= date.today():
                raise ValueError
            out["date_naissance"] = day.isoformat()
        except ValueError:
            errors.append(FieldError("date_naissance", "Saisissez une date de naissance valide (jj/mm/aaaa)."))
    postcode = _text(v, "code_postal_naissance", errors, required=True, max_len=10)
    if postcode and out["pays_naissance"].lower() == "france" and not POSTCODE_RE.match(postcode):
        errors.append(FieldError("code_postal_naissance", "Le code postal de naissance doit avoir 5 chiffres."))
    out["code_postal_naissance"] = postcode
    return out


def _password(v: dict[str, Any], errors: list[FieldError]) -> dict[str, Any]:
    password = v.get("mot_de_passe") if isinstance(v.get("mot_de_passe"), str) else ""
    if not password:
        errors.append(FieldError("mot_de_passe", "« Mot de passe » est obligatoire."))
    elif len(password) < MIN_PASSWORD:
        errors.append(FieldError("mot_de_passe", "Le mot de passe doit contenir au minimum 6 caractères."))
    elif v.get("confirmation") != password:
        errors.append(FieldError("confirmation", "La confirmation ne correspond pas au mot de passe."))
    return {"mot_de_passe": password, "envoyer": bool(v.get("envoyer"))}


def _informations(v: dict[str, Any], errors: list[FieldError]) -> dict[str, Any]:
    return {"statut": _choice(v, "statut", EMPLOYEE, errors), "financement": _choice(v, "financement", FUNDING, errors)}


def _coordonnees(v: dict[str, Any], errors: list[FieldError], required: bool = False) -> dict[str, Any]:
    out = {name: _text(v, name, errors, required=required) for name in ("telephone", "adresse", "commune", "pays")}
    out["code_postal"] = _text(v, "code_postal", errors, required=required, max_len=10)
    if out["code_postal"] and out["pays"].lower() in ("", "france") and not POSTCODE_RE.match(out["code_postal"]):
        errors.append(FieldError("code_postal", "Le code postal de résidence doit avoir 5 chiffres."))
    if out["telephone"] and not re.fullmatch(r"\+?[\d .-]{6,20}", out["telephone"]):
        errors.append(FieldError("telephone", "Saisissez un numéro de téléphone valide."))
    return out


def _divers(v: dict[str, Any], errors: list[FieldError]) -> dict[str, Any]:
    native = v.get("francais_maternelle")
    if native not in (None, "", "oui", "non"):
        errors.append(FieldError("francais_maternelle", "Répondez « Oui » ou « Non »."))
    return {"niveau_etudes": _text(v, "niveau_etudes", errors, required=False),
            "csp": _text(v, "csp", errors, required=False), "francais_maternelle": native or ""}


CHECKS = {"identite": _identite, "mot_de_passe": _password, "informations": _informations,
          "coordonnees": _coordonnees, "divers": _divers}


def check(step: str, values: dict[str, Any], *, coordonnees_required: bool = False) -> dict[str, Any]:
    if step not in CHECKS:
        raise ValidationFailed.on("step", "Étape inconnue.")
    errors: list[FieldError] = []
    if step == "coordonnees":
        cleaned = _coordonnees(values, errors, required=coordonnees_required)
    else:
        cleaned = CHECKS[step](values, errors)
    if errors:
        raise ValidationFailed("Certaines informations sont invalides.", errors)
    return cleaned
