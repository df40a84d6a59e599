"""« Demander ma carte CQC » (seed 003: « A tout moment, le conducteur pourra réaliser sa demande de CQC depuis
son espace personnel »). The driver picks one of their claimed trainings — a conducteur line whose certificate
of qualification is still valid, or a formateur/moniteur line — confirms the delivery address and sends the
request; it is recorded with its status and confirmed by email. One open request per training line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from core.plugin_api import Account, FieldError, NotFound, ValidationFailed, data, write_transaction
from plugins.formation_cqc.runtime import platform
from plugins.formation_cqc.services import rules
from plugins.formation_cqc.tables import CardRequest, CardStatusChange, RegistrationLine

STATUS_LABELS = {"deposee": "Demande déposée", "en_fabrication": "Carte en fabrication",
                 "expediee": "Carte expédiée", "refusee": "Demande refusée"}
_POSTCODE = re.compile(r"[0-9]{5}")


@dataclass(frozen=True, slots=True)
class Eligible:
    """One claimed line as the card form shows it; `reason` is why no request is possible ("" if it is)."""

    line_id: int
    training: str
    label: str
    end_date: date
    profile: str
    valid_until: date | None  # the certificate's last day (conducteur lines)
    centre_pays: bool
    reason: str


async def eligible(account: Account, today: date) -> list[Eligible]:
    rows = await RegistrationLine.select(
        RegistrationLine.id, RegistrationLine.training, RegistrationLine.end_date, RegistrationLine.birth_date,
        RegistrationLine.certificate_document, RegistrationLine.registration.label,
        RegistrationLine.registration.profile, RegistrationLine.registration.created_at,
        RegistrationLine.registration.centre_pays_cqc,
    ).where(RegistrationLine.account == account.id).order_by(RegistrationLine.end_date, ascending=False)
    open_lines = {r["line"] for r in await CardRequest.select(CardRequest.line).where(
        (CardRequest.account == account.id) & (CardRequest.status != "refusee"))}
    out = []
    for r in rows:
        profile = r["registration.profile"]
        valid_until, reason = None, ""
        if profile == rules.Profile.conducteur.value:
            _, valid_until = rules.certificate_validity(r["registration.created_at"].date(), r["birth_date"])
            if r["certificate_document"] is None:
                reason = "Votre certificat de qualification est en cours de préparation."
            elif today > valid_until:
                reason = f"Votre certificat de qualification a expiré le {valid_until:%d/%m/%Y}."
        if r["id"] in open_lines:
            reason = "Une demande de carte est déjà en cours pour cette formation."
        out.append(Eligible(r["id"], rules.TRAINING_LABELS[rules.TrainingType(r["training"])],
                            r["registration.label"], r["end_date"], profile, valid_until,
                            bool(r["registration.centre_pays_cqc"]), reason))
    return out


def _parse(form: dict[str, str]) -> tuple[int | None, str, str, str]:
    errors = []
    raw_line = form.get("line", "")
    line_id = int(raw_line) if raw_line.isdigit() else None
    if line_id is None:
        errors.append(FieldError("line", "Choisissez la formation au titre de laquelle vous demandez la carte."))
    address = " ".join(form.get("address", "").split())
    if not 5 <= len(address) <= 200:
        errors.append(FieldError("address", "Indiquez l'adresse de livraison de la carte (numéro et voie)."))
    postcode = form.get("postcode", "").strip()
    if not _POSTCODE.fullmatch(postcode):
        errors.append(FieldError("postcode", "Le code postal compte 5 chiffres."))
    city = " ".join(form.get("city", "").split())
    if not 1 <= len(city) <= 100:
        errors.append(FieldError("city", "Indiquez la ville."))
    if form.get("confirm") != "oui":
        errors.append(FieldError("confirm", "Cochez la case pour certifier l'exactitude de vos informations."))
    if errors:
        raise ValidationFailed("Certaines informations manquent ou sont invalides.", errors)
    return line_id, address, postcode, city


async def request_card(account: Account, form: dict[str, str], today: date) -> int:
    """Record the request and queue its French confirmation email (one transaction); returns its id.
    A line that is not the account's → NotFound; not eligible → ValidationFailed naming `line`."""
    line_id, address, postcode, city = _parse(form)
    async with write_transaction():
        await data.lock(f"formation_cqc:card:{account.id}")  # a double submit on PostgreSQL records one request
        choice = next((e for e in await eligible(account, today) if e.line_id == line_id), None)
        if choice is None:
            raise NotFound("Cette formation n'est pas rattachée à votre compte.")
        if choice.reason:
            raise ValidationFailed("Cette demande n'est pas possible.", [FieldError("line", choice.reason)])
        line = await RegistrationLine.select(RegistrationLine.organisation, RegistrationLine.office,
                                             RegistrationLine.first_name, RegistrationLine.last_name).where(
            RegistrationLine.id == line_id).first()
        assert line is not None
        row = await CardRequest.insert(CardRequest(
            organisation=line["organisation"], office=line["office"], account=account.id, line=line_id,
            address=address, postcode=postcode, city=city)).returning(CardRequest.id)
        if account.email:
            await platform().send_mail(
                account.email, "Votre demande de carte CQC est enregistrée",
                f"Bonjour {line['first_name']} {line['last_name']},\n\nVotre demande de carte de qualification de "
                f"conducteur (CQC) au titre de la formation {choice.training} ({choice.label}, achevée le "
                f"{choice.end_date:%d/%m/%Y}) est enregistrée le {today:%d/%m/%Y}. La carte sera envoyée à :\n"
                f"{address}\n{postcode} {city}\n\nSuivez son état dans « Mon espace », rubrique "
                "« Ma carte CQC ».\n", organisation_id=line["organisation"])
    return int(row[0]["id"])


async def of_account(account: Account) -> list[dict[str, Any]]:
    rows = await CardRequest.select(
        CardRequest.id, CardRequest.status, CardRequest.created_at, CardRequest.address, CardRequest.postcode,
        CardRequest.city, CardRequest.line.training, CardRequest.line.registration.label,
    ).where(CardRequest.account == account.id).order_by(CardRequest.id, ascending=False)
    changes = await history([r["id"] for r in rows])
    return [{"id": r["id"], "status": STATUS_LABELS.get(r["status"], r["status"]), "history": changes[r["id"]],
             "date": r["created_at"].strftime("%d/%m/%Y"), "address": f"{r['address']}, {r['postcode']} {r['city']}",
             "training": rules.TRAINING_LABELS[rules.TrainingType(r["line.training"])],
             "label": r["line.registration.label"]} for r in rows]


async def history(request_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The status changes of these requests, oldest first, as the driver's page shows them."""
    out: dict[int, list[dict[str, Any]]] = {i: [] for i in request_ids}
    if not request_ids:
        return out
    rows = await CardStatusChange.select().where(CardStatusChange.request.is_in(request_ids)).order_by(
        CardStatusChange.id)
    for r in rows:
        out[r["request"]].append({"status": STATUS_LABELS.get(r["status"], r["status"]),
                                  "date": r["created_at"].strftime("%d/%m/%Y"),
                                  "tracking_number": r["tracking_number"], "reason": r["reason"]})
    return out
