"""« Demandes de carte CQC » (centre side): the card requests of the centre's registrations, and their status
progression déposée → en fabrication → expédiée (optional tracking number) or refusée (reason required). Each
change is recorded in the history, audited and emailed to the driver in French, all in one transaction."""

from __future__ import annotations

from typing import Any

from core.plugin_api import Actor, FieldError, NotFound, ValidationFailed, data, write_transaction
from plugins.formation_cqc.runtime import platform
from plugins.formation_cqc.services import rules
from plugins.formation_cqc.services.cards import STATUS_LABELS
from plugins.formation_cqc.tables import CardRequest, CardStatusChange, Driver

TRANSITIONS = {"deposee": ("en_fabrication", "refusee"), "en_fabrication": ("expediee", "refusee")}
_MAILS = {
    "en_fabrication": ("Votre carte CQC est en fabrication",
                       "Votre demande de carte CQC a été acceptée : la carte est en cours de fabrication."),
    "expediee": ("Votre carte CQC a été expédiée", "Votre carte CQC a été expédiée à l'adresse indiquée."),
    "refusee": ("Votre demande de carte CQC est refusée", "Votre demande de carte CQC a été refusée."),
}


def parse_status_filter(raw: str | None) -> str | None:
    """The `statut` filter: a known status, or None for all (an unknown value shows everything)."""
    return raw if raw in STATUS_LABELS else None


async def of_office(office_id: int, status: str | None = None) -> list[dict[str, Any]]:
    """The office's card requests, newest first (driver, training, date, address, status, last change)."""
    query = CardRequest.select(
        CardRequest.id, CardRequest.status, CardRequest.created_at, CardRequest.address, CardRequest.postcode,
        CardRequest.city, CardRequest.line.first_name, CardRequest.line.last_name, CardRequest.line.training,
        CardRequest.line.registration.label, CardRequest.line.end_date,
    ).where(CardRequest.office == office_id)
    if status is not None:
        query = query.where(CardRequest.status == status)
    rows = await query.order_by(CardRequest.id, ascending=False)
    latest = await _latest_changes([r["id"] for r in rows])
    out = []
    for r in rows:
        change = latest.get(r["id"], {})
        out.append({
            "id": r["id"], "status": r["status"], "status_label": STATUS_LABELS.get(r["status"], r["status"]),
            "driver": f"{r['line.first_name']} {r['line.last_name'].upper()}",
            "training": rules.TRAINING_LABELS[rules.TrainingType(r["line.training"])],
            "label": r["line.registration.label"], "end_date": r["line.end_date"].isoformat(),
            "date": r["created_at"].date().isoformat(),
            "address": f"{r['address']}, {r['postcode']} {r['city']}",
            "tracking_number": change.get("tracking_number", ""), "reason": change.get("reason", ""),
            "next": list(TRANSITIONS.get(r["status"], ())),
        })
    return out


async def _latest_changes(request_ids: list[int]) -> dict[int, dict[str, Any]]:
    if not request_ids:
        return {}
    rows = await CardStatusChange.select(CardStatusChange.request, CardStatusChange.tracking_number,
                                         CardStatusChange.reason).where(
        CardStatusChange.request.is_in(request_ids)).order_by(CardStatusChange.id)
    return {r["request"]: r for r in rows}  # the last change of each request wins


def _parse(form: dict[str, Any]) -> tuple[str, str, str]:
    status = str(form.get("status") or "").strip()
    tracking = " ".join(str(form.get("tracking_number") or "").split())
    reason = " ".join(str(form.get("reason") or "").split())
    errors = []
    if status not in _MAILS:
        errors.append(FieldError("status", "Choisissez le nouvel état : en fabrication, expédiée ou refusée."))
    if len(tracking) > 60:
        errors.append(FieldError("tracking_number", "Le numéro de suivi compte 60 caractères au plus."))
    if status == "refusee" and not reason:
        errors.append(FieldError("reason", "Indiquez le motif du refus : il est envoyé au conducteur."))
    elif len(reason) > 500:
        errors.append(FieldError("reason", "Le motif compte 500 caractères au plus."))
    if errors:
        raise ValidationFailed("Le changement d'état n'est pas possible.", errors)
    return status, tracking if status == "expediee" else "", reason if status == "refusee" else ""


async def change(actor: Actor, office: Any, request_id: int, form: dict[str, Any]) -> None:
    """Move one of the office's requests to `form["status"]`: history + audit + French email, one transaction.
    Another office's request → NotFound; a bad value or a transition the current status does not allow →
    ValidationFailed naming the field (nothing written)."""
    status, tracking, reason = _parse(form)
    async with write_transaction():
        await data.lock(f"formation_cqc:card_request:{request_id}")
        row = await CardRequest.select(
            CardRequest.id, CardRequest.status, CardRequest.organisation, CardRequest.account,
            CardRequest.address, CardRequest.postcode, CardRequest.city, CardRequest.line.first_name,
            CardRequest.line.last_name, CardRequest.line.training, CardRequest.line.registration.label,
        ).where((CardRequest.id == request_id) & (CardRequest.office == office.id)).first()
        if row is None:
            raise NotFound("Cette demande de carte n'existe pas.")
        if status not in TRANSITIONS.get(row["status"], ()):
            current = STATUS_LABELS.get(row["status"], row["status"])
            allowed = ", ".join(STATUS_LABELS[s].lower() for s in TRANSITIONS.get(row["status"], ()))
            hint = f" : seuls sont possibles {allowed}" if allowed else " : elle ne peut plus changer d'état"
            raise ValidationFailed.on("status", f"Cette demande est à l'état « {current} »{hint}.")
        await CardRequest.update({CardRequest.status: status}).where(CardRequest.id == request_id)
        await CardStatusChange.insert(CardStatusChange(
            organisation=row["organisation"], office=office.id, request=request_id, status=status,
            tracking_number=tracking, reason=reason, member=actor.member_id))
        await data.audit(actor, "formation_cqc.card_status", organisation_id=row["organisation"],
                         target=f"card_request:{request_id}",
                         summary=f"Demande de carte CQC : {STATUS_LABELS[row['status']]} → {STATUS_LABELS[status]}",
                         details={"from": row["status"], "to": status, "tracking_number": tracking,
                                  "reason": reason})
        driver = await Driver.select(Driver.email).where(Driver.account == row["account"]).first()
        if driver and driver["email"]:
            subject, lead = _MAILS[status]
            training = rules.TRAINING_LABELS[rules.TrainingType(row["line.training"])]
            extra = f"\nNuméro de suivi : {tracking}\n" if tracking else ""
            extra += f"\nMotif : {reason}\n" if reason else ""
            await platform().send_mail(
                driver["email"], subject,
                f"Bonjour {row['line.first_name']} {row['line.last_name']},\n\n{lead}\n"
                f"Formation : {training} ({row['line.registration.label']}).\n"
                f"Adresse de livraison : {row['address']}, {row['postcode']} {row['city']}.\n{extra}\n"
                "Suivez son état dans « Mon espace », rubrique « Ma carte CQC ».\n",
                organisation_id=row["organisation"])
