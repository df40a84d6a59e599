"""The candidate's « Mon espace » account (seed 002: « Envoyer l'identifiant et le mot de passe par courriel »;
the candidate then signs in with them). At step « Mot de passe » the module asks the core for an account with
the chosen password and keeps its id on the candidate (its claim). When that email already has an account,
the password is ignored — an organisation never sets an existing account's password — and the candidate signs
in with their own; the file is shown to that account through its verified email."""

from __future__ import annotations

from typing import Any

from core.plugin_api import ValidationFailed, data, enqueue_email

CREATED, EXISTING = "cree", "existant"
SUBJECT = "Votre accès à la Certification Le Robert"


async def provision(row: Any, password: str, send: bool) -> str:
    """Create the account if none exists (inside the caller's transaction); returns CREATED or EXISTING and sets
    `row.account`. With `send`, the candidate is emailed their identifiant (and the password when it is theirs)."""
    from plugins.certification_robert.runtime import platform

    if row.account is None:
        user_id = await platform().create_account(row.email, password, organisation_id=row.organisation,
                                                  full_name=f"{row.first_name} {row.last_name}".strip())
        row.account = user_id
        outcome = CREATED if user_id is not None else EXISTING
    else:
        outcome = EXISTING  # the account exists already: a new staff password never replaces the person's
    if send:
        organisation = await data.organisation(row.organisation)
        base = platform().settings.base_url.rstrip("/")
        lines = [f"Bonjour {row.first_name},", "",
                 f"{organisation.name} vous a inscrit à la Certification Le Robert.",
                 f"Votre identifiant : {row.email}"]
        lines += ([f"Votre mot de passe : {password}", "Vous pourrez le changer dans « Mon compte »."]
                  if outcome == CREATED else
                  ["Vous avez déjà un espace personnel : connectez-vous avec votre mot de passe habituel."])
        lines += ["", f"Suivez votre certification (convocation, résultat) dans « Mon espace » : {base}/login", "",
                  "Le jour de l'examen, munissez-vous de votre identifiant, de votre mot de passe et d'une pièce "
                  "d'identité."]
        await enqueue_email(row.email, f"{SUBJECT} — {organisation.name}", text="\n".join(lines),
                            organisation_id=row.organisation, sender_name=organisation.name,
                            reply_to=organisation.email or None)
    return outcome


async def follow_email(row: Any, previous: str) -> None:
    """Staff changed the candidate's email (step Identité): the account the module created for them follows,
    and the new address is told its identifiant (inside the caller's transaction). Refused, naming `courriel`,
    when another account has that address or the candidate manages their account themself. Without an account
    of ours the file simply follows the email (shown to the account that verified it)."""
    from plugins.certification_robert.runtime import platform

    if row.account is None:
        return
    try:
        await platform().change_account_email(row.account, row.email, organisation_id=row.organisation)
    except ValidationFailed as error:
        message = error.errors[0].message if error.errors else str(error)
        raise ValidationFailed.on("courriel", message) from None
    organisation = await data.organisation(row.organisation)
    base = platform().settings.base_url.rstrip("/")
    await enqueue_email(row.email, f"{SUBJECT} — {organisation.name}", text="\n".join([
        f"Bonjour {row.first_name},", "",
        f"{organisation.name} a corrigé votre adresse : votre identifiant pour la Certification Le Robert est "
        f"désormais {row.email} (et non plus {previous}). Votre mot de passe ne change pas.", "",
        f"Suivez votre certification dans « Mon espace » : {base}/login"]),
        organisation_id=row.organisation, sender_name=organisation.name, reply_to=organisation.email or None)
