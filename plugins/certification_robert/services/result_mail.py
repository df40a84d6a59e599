"""The candidate's email when a result is recorded (signed route or CSV): « Votre résultat est disponible »
with the link to « Mon espace », or « Votre résultat … a été corrigé » when the certifier sends a different
result for a candidate who already had one (the same result again sends nothing). Never the score: seed 002 has
the candidate fill their Coordonnées before the score and the certificate are shown, so the email only says
where to look."""

from __future__ import annotations

from datetime import date
from typing import Any

from core.plugin_api import data, enqueue_email

SUBJECT = "Votre résultat à la Certification Le Robert est disponible"
CORRECTED_SUBJECT = "Votre résultat à la Certification Le Robert a été corrigé"


def body(first_name: str, passed_on: date, link: str, organisation: str, corrected: bool = False) -> str:
    news = (f"Votre résultat a été corrigé : le résultat de la Certification Le Robert que vous avez passée le "
            f"{passed_on:%d/%m/%Y} avec {organisation} a été modifié et remplace le précédent." if corrected else
            f"Votre résultat est disponible : la Certification Le Robert que vous avez passée le "
            f"{passed_on:%d/%m/%Y} avec {organisation} a été corrigée.")
    return "\n".join([
        f"Bonjour {first_name},".replace(" ,", ","), "",
        news, "",
        f"Consultez-le dans « Mon espace » : {link}", "",
        "Pour voir votre score et télécharger votre attestation, complétez d'abord vos coordonnées (téléphone, "
        "adresse, code postal, commune et pays de résidence) sur cette page, si ce n'est pas déjà fait.", "",
        "Connectez-vous avec votre identifiant (cette adresse e-mail) et votre mot de passe."])


async def queue(organisation_id: int, recipients: list[tuple[dict[str, Any], date, int, bool]]) -> None:
    """One email per (candidate row, exam day, result id, corrected), inside the caller's write transaction;
    keyed on the result so a retried job or request never sends it twice."""
    from plugins.certification_robert.runtime import platform

    if not recipients:
        return
    organisation = await data.organisation(organisation_id)
    link = platform().settings.base_url.rstrip("/") + platform().account_url("/certification")
    for candidate, passed_on, result_id, corrected in recipients:
        subject = CORRECTED_SUBJECT if corrected else SUBJECT
        await enqueue_email(candidate["email"], f"{subject} — {organisation.name}",
                            text=body(candidate["first_name"], passed_on, link, organisation.name, corrected),
                            organisation_id=organisation_id, sender_name=organisation.name,
                            reply_to=organisation.email or None, key=f"certification_robert:resultat:{result_id}")
