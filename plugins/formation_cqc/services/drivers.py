"""The driver's side (« Mon espace »): claim one's registrations with licence number + birth date + surname,
list them and their documents, export and erase. A person sees only the lines linked to their account."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from core.plugin_api import Account, FieldError, ValidationFailed, documents, write_transaction
from plugins.formation_cqc.runtime import platform
from plugins.formation_cqc.services import rules
from plugins.formation_cqc.services.controls import parse_date
from plugins.formation_cqc.tables import CardRequest, CardStatusChange, ClaimAttempt, Driver, RegistrationLine

MAX_FAILED_CLAIMS = 5  # per account and rolling hour: the three values must not be guessed by trying
CLAIM_WINDOW = timedelta(hours=1)
THROTTLED = ("Trop de tentatives infructueuses : pour protéger les données des conducteurs, réessayez dans une "
             "heure. Vérifiez d'ici là les informations de votre permis de conduire.")


class ClaimThrottled(ValidationFailed):
    status_code = 429

NO_MATCH = ("Aucune formation ne correspond à ce numéro de permis, cette date de naissance et ce nom : "
            "vérifiez-les tels qu'ils figurent sur votre permis de conduire.")


def parse_claim(form: dict[str, str]) -> tuple[str, date, str]:
    errors = []
    licence = rules.normalise_licence(form.get("licence", ""))
    if licence is None:
        errors.append(FieldError("licence", "Indiquez le numéro de votre permis (12 chiffres, ou l'ancien numéro "
                                            "en lettres et chiffres)."))
    birth = parse_date(form.get("birth_date", ""))
    if birth is None:
        errors.append(FieldError("birth_date", "Indiquez votre date de naissance au format JJ/MM/AAAA."))
    surname = rules.normalise_name(form.get("last_name", ""))
    if surname is None:
        errors.append(FieldError("last_name", "Indiquez votre nom de famille (lettres, espaces, tirets)."))
    if errors or licence is None or birth is None or surname is None:
        raise ValidationFailed("Certaines informations sont invalides.", errors)
    return licence, birth, surname


async def claim(account: Account, form: dict[str, str]) -> int:
    """Link to `account` the unclaimed lines of that driver (all three must match); returns how many.
    Nothing matching (or already someone else's) → 422 with the same French message, whatever was wrong."""
    licence, birth, surname = parse_claim(form)
    since = datetime.now(UTC) - CLAIM_WINDOW
    async with write_transaction():
        failures = await ClaimAttempt.count().where(
            (ClaimAttempt.account == account.id) & (ClaimAttempt.created_at > since))
        if failures >= MAX_FAILED_CLAIMS:
            raise ClaimThrottled(THROTTLED)
        rows = await RegistrationLine.select(
            RegistrationLine.id, RegistrationLine.last_name, RegistrationLine.summary_document,
            RegistrationLine.certificate_document).where(
            (RegistrationLine.licence == licence) & (RegistrationLine.birth_date == birth)
            & RegistrationLine.account.is_null())
        mine = [r for r in rows if rules.name_key(r["last_name"]) == rules.name_key(surname)]
        if mine:
            await _link(account, licence, birth, mine)
        else:
            await ClaimAttempt.insert(ClaimAttempt(account=account.id)).run()
    if not mine:  # the failed attempt is committed, then refused
        raise ValidationFailed(NO_MATCH)
    return len(mine)


async def _link(account: Account, licence: str, birth: date, mine: list[dict[str, Any]]) -> None:
    await RegistrationLine.update({RegistrationLine.account: account.id}).where(
        RegistrationLine.id.is_in([r["id"] for r in mine]))
    if not await Driver.exists().where((Driver.licence == licence) & (Driver.birth_date == birth)):
        await Driver.insert(Driver(licence=licence, birth_date=birth, account=account.id,
                                   email=account.email if account.email_verified else "")).run()
    ids = [r[k] for r in mine for k in ("summary_document", "certificate_document") if r[k] is not None]
    await platform().attach_documents(ids, account.id)


async def formations(account: Account) -> list[dict[str, Any]]:
    lines = await RegistrationLine.select(
        RegistrationLine.id, RegistrationLine.training, RegistrationLine.end_date, RegistrationLine.reference,
        RegistrationLine.registration.label, RegistrationLine.first_name, RegistrationLine.last_name,
        RegistrationLine.registration.profile,
    ).where(RegistrationLine.account == account.id).order_by(RegistrationLine.end_date, ascending=False)
    return [{"id": r["id"], "training": rules.TRAINING_LABELS[rules.TrainingType(r["training"])],
             "label": r["registration.label"],
             "end_date": r["end_date"].strftime("%d/%m/%Y"), "name": f"{r['first_name']} {r['last_name']}",
             "profile": rules.PROFILE_LABELS[rules.Profile(r["registration.profile"])],
             "trainer": r["registration.profile"] != rules.Profile.conducteur.value}
            for r in lines]


async def count(account: Account) -> int:
    return int(await RegistrationLine.count().where(RegistrationLine.account == account.id))


async def my_documents(account: Account) -> list[documents.DocumentInfo]:
    return [d for d in await documents.list_for_account(account.id) if d.module == platform().plugin_id]


async def export(account: Account) -> dict[str, Any]:
    from plugins.formation_cqc.services import cards

    return {"formations": await formations(account), "card_requests": await cards.of_account(account)}


async def erase(account: Account) -> None:
    """Unlink the lines (the centre keeps its registration, a legal record) and forget the claim."""
    async with write_transaction():
        await RegistrationLine.update({RegistrationLine.account: None}).where(
            RegistrationLine.account == account.id)
        await Driver.delete().where(Driver.account == account.id)
        await CardStatusChange.delete().where(CardStatusChange.request.is_in(
            CardRequest.select(CardRequest.id).where(CardRequest.account == account.id)))
        await CardRequest.delete().where(CardRequest.account == account.id)
        await ClaimAttempt.delete().where(ClaimAttempt.account == account.id)

