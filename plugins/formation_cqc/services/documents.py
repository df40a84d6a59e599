"""What goes into the driver's two PDFs (seed 003, « Une fois l'enregistrement effectué »): the training
summary (kept 6 years) and the certificate of qualification (4 months, from the 18th birthday for a minor).
Pure: the contexts for `core.plugin_api.render_pdf` and the dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from plugins.formation_cqc.services import rules
from plugins.formation_cqc.services.controls import CleanLine
from plugins.formation_cqc.services.rules import TrainingType

PDF = Path(__file__).resolve().parents[1] / "pdf"
SUMMARY_TEMPLATE = PDF / "summary.typ"
CERTIFICATE_TEMPLATE = PDF / "certificate.typ"


def _fr(day: date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass(frozen=True, slots=True)
class Session:
    training: TrainingType
    label: str
    end_date: date
    agrement_number: str


def summary_context(session: Session, line: CleanLine, issued: date) -> dict[str, str]:
    return {
        "title": "Récapitulatif de formation",
        "name": f"{line.first_name} {line.last_name}",
        "birth_date": _fr(line.birth_date),
        "licence": line.licence,
        "training": rules.TRAINING_LABELS[session.training],
        "label": session.label,
        "end_date": _fr(session.end_date),
        "agrement": session.agrement_number,
        "reference": line.reference or line.order_number,
        "issued": _fr(issued),
    }


def certificate_context(session: Session, line: CleanLine, issued: date) -> dict[str, str]:
    valid_from, valid_until = rules.certificate_validity(issued, line.birth_date)
    return {
        "title": "Certificat de qualification",
        "name": f"{line.first_name} {line.last_name}",
        "birth_date": _fr(line.birth_date),
        "licence": line.licence,
        "training": rules.TRAINING_LABELS[session.training],
        "end_date": _fr(session.end_date),
        "valid_from": _fr(valid_from),
        "valid_until": _fr(valid_until),
        "issued": _fr(issued),
    }
