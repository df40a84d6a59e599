"""After an import: the job that renders each conducteur line's two PDFs (training summary kept 6 years,
certificate valid 4 months or from the 18th birthday), stores them as core documents and emails them to a
driver who already claimed their registrations (seed 003, « Une fois l'enregistrement effectué »).

At least once: a line whose documents are already stored is skipped, so a retried job sends nothing twice."""

from __future__ import annotations

from datetime import date
from typing import Any

from core.plugin_api import data, render_pdf, write_transaction
from plugins.formation_cqc.runtime import platform
from plugins.formation_cqc.services import agrements, documents, rules
from plugins.formation_cqc.services.controls import CleanLine
from plugins.formation_cqc.tables import Driver, Registration, RegistrationLine

JOB = "formation_cqc.documents"
CHUNK = 100  # lines per job: a 10 000-line file is 100 jobs the worker can spread and retry one by one
PDF = "application/pdf"


async def schedule(registration_id: int, organisation_id: int, office_id: int, line_count: int) -> None:
    """Queue the rendering jobs; call inside the import's transaction (they exist iff it commits)."""
    for offset in range(0, line_count, CHUNK):
        await platform().schedule_job(
            JOB, {"registration_id": registration_id, "office_id": office_id, "offset": offset, "limit": CHUNK},
            organisation_id=organisation_id, key=f"{JOB}:{registration_id}:{offset}")


def _session(registration: dict[str, Any], numbers: list[rules.Agrement]) -> documents.Session:
    training = rules.TrainingType(registration["training"])
    number = next((a.number for a in numbers if a.covers(training, registration["end_date"])), "")
    return documents.Session(training, registration["label"], registration["end_date"], number)


async def run(payload: dict[str, Any]) -> None:
    """The job: render and store the documents of lines [offset, offset + limit) of the registration."""
    registration = await Registration.select().where(
        (Registration.id == payload["registration_id"]) & (Registration.office == payload["office_id"])).first()
    if registration is None:
        return
    organisation = await data.organisation(registration["organisation"])
    session = _session(registration, await agrements.of_office(registration["office"]))
    issued: date = registration["created_at"].date()
    lines = await RegistrationLine.select().where(RegistrationLine.registration == registration["id"]).order_by(
        RegistrationLine.id).offset(int(payload["offset"])).limit(int(payload["limit"]))
    if registration["profile"] != rules.Profile.conducteur.value:
        for line in lines:
            if not line["notified"]:
                await _notify_trainer(registration, session, line)
        return
    for line in lines:
        if line["summary_document"] is None or line["certificate_document"] is None:
            await _issue(registration, organisation, session, issued, line)


async def _notify_trainer(registration: dict[str, Any], session: documents.Session, line: dict[str, Any]) -> None:
    """Formateurs and moniteurs get no summary and no certificate: they are told (by email once their account
    is known, else in « Mon espace » after their claim) that they may request a CQC card."""
    profile = rules.PROFILE_LABELS[rules.Profile(registration["profile"])].lower()
    async with write_transaction():
        driver = await Driver.select().where(
            (Driver.licence == line["licence"]) & (Driver.birth_date == line["birth_date"])).first()
        account = line["account"] if line["account"] is not None else (driver["account"] if driver else None)
        await RegistrationLine.update({RegistrationLine.notified: True, RegistrationLine.account: account}).where(
            RegistrationLine.id == line["id"])
        if driver and driver["email"] and driver["account"] == account:
            fee = ("Votre centre prend en charge la redevance de la carte." if registration["centre_pays_cqc"]
                   else "La redevance de la carte reste à votre charge.")
            await platform().send_mail(
                driver["email"], "Vous pouvez demander votre carte CQC",
                f"Bonjour {line['first_name']} {line['last_name']},\n\nVotre centre de formation vous a enregistré "
                f"comme {profile} ({rules.TRAINING_LABELS[session.training]}, {session.label}). Vos droits à une "
                f"demande de carte de qualification de conducteur (CQC) sont ouverts : faites votre demande depuis "
                f"« Mon espace », rubrique « Mes formations ». {fee}\n",
                organisation_id=registration["organisation"])


async def _issue(registration: dict[str, Any], organisation: Any, session: documents.Session, issued: date,
                 line: dict[str, Any]) -> None:
    clean = CleanLine(line["reference"], line["order_number"], line["first_name"], line["last_name"],
                      line["birth_date"], line["licence"])
    summary = await render_pdf(documents.SUMMARY_TEMPLATE, documents.summary_context(session, clean, issued),
                               organisation)
    certificate = await render_pdf(documents.CERTIFICATE_TEMPLATE,
                                   documents.certificate_context(session, clean, issued), organisation)
    _, valid_until = rules.certificate_validity(issued, clean.birth_date)
    label = rules.TRAINING_LABELS[session.training]
    stem = f"{session.end_date.isoformat()}-{clean.licence}"
    async with write_transaction():
        driver = await Driver.select().where(
            (Driver.licence == clean.licence) & (Driver.birth_date == clean.birth_date)).first()
        account = line["account"] if line["account"] is not None else (driver["account"] if driver else None)
        common = {"organisation_id": registration["organisation"], "office_id": registration["office"],
                  "content_type": PDF, "account_id": account, "person_ref": f"ligne:{line['id']}"}
        stored_summary = await platform().store_document(
            kind="cqc_recapitulatif", title=f"Récapitulatif de formation {label}", filename=f"recapitulatif-{stem}.pdf",
            content=summary, keep_until=rules.summary_keep_until(issued), **common)
        stored_certificate = await platform().store_document(
            kind="cqc_certificat", title=f"Certificat de qualification {label}", filename=f"certificat-{stem}.pdf",
            content=certificate, keep_until=valid_until, **common)
        await RegistrationLine.update({RegistrationLine.summary_document: stored_summary.id,
                                       RegistrationLine.certificate_document: stored_certificate.id,
                                       RegistrationLine.account: account}).where(RegistrationLine.id == line["id"])
        email = driver["email"] if driver and driver["account"] == account else ""
        if email:
            await platform().send_mail(
                email, f"Vos documents de formation {label}",
                f"Bonjour {clean.first_name} {clean.last_name},\n\nVous trouverez ci-joints le récapitulatif de "
                f"votre formation {label} achevée le {session.end_date.strftime('%d/%m/%Y')} et votre certificat "
                f"de qualification, valable jusqu'au {valid_until.strftime('%d/%m/%Y')} inclus. Ils sont aussi "
                "dans « Mon espace », rubrique « Mes documents ».\n",
                attachments=[(stored_summary.filename, PDF, summary), (stored_certificate.filename, PDF, certificate)],
                organisation_id=registration["organisation"])

