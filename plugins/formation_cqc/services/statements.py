"""Monthly statement of a centre (office): the month's registrations with HT, TVA (20 %) and TTC."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from plugins.formation_cqc.services import rules
from plugins.formation_cqc.tables import Registration


@dataclass(frozen=True, slots=True)
class Statement:
    month: date
    rows: list[dict[str, Any]]
    total_ht: Decimal
    vat: Decimal

    @property
    def total_ttc(self) -> Decimal:
        return self.total_ht + self.vat


def parse_month(raw: str | None, today: date) -> date:
    try:
        year, month = (int(x) for x in (raw or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


async def monthly(office_id: int, month: date) -> Statement:
    start = datetime(month.year, month.month, 1, tzinfo=UTC)
    nxt = rules.add_months(month, 1)
    end = datetime(nxt.year, nxt.month, 1, tzinfo=UTC)
    rows = list(
        await Registration.select()
        .where(
            (Registration.office == office_id) & (Registration.created_at >= start) & (Registration.created_at < end)
        )
        .order_by(Registration.id)
    )
    total = sum((Decimal(r["amount_cents"]) / 100 for r in rows), Decimal("0.00")).quantize(Decimal("0.01"))
    return Statement(month, rows, total, rules.vat_of(total))


INVOICE_TEMPLATE = Path(__file__).resolve().parents[1] / "pdf" / "invoice.typ"


def _eur(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",") + " €"


def invoice_context(statement: Statement, office_id: int, centre: str, contract: Any,
                    issued: date) -> dict[str, Any]:
    """What the monthly PDF invoice shows: its number (CQC-<office>-<AAAAMM>), the contract, rows and totals."""
    return {
        "title": f"Facture — relevé CQC {statement.month:%m/%Y}",
        "number": f"CQC-{office_id}-{statement.month:%Y%m}",
        "month": f"{statement.month:%m/%Y}",
        "issued": f"{issued:%d/%m/%Y}",
        "centre": centre,
        "contract": (f"commande n° {contract.number} du {contract.placed_at:%d/%m/%Y}" if contract is not None
                     else "activation sans commande"),
        "rows": [{"ref": str(r["id"]), "date": r["created_at"].strftime("%d/%m/%Y"),
                  "training": f"{rules.TRAINING_LABELS[rules.TrainingType(r['training'])]} — {r['label']}"
                              + ("" if r["profile"] == rules.Profile.conducteur.value else f" ({r['profile']}s)"),
                  "lines": str(r["line_count"]), "ht": _eur(Decimal(r["amount_cents"]) / 100)}
                 for r in statement.rows],
        "total_ht": _eur(statement.total_ht),
        "vat": _eur(statement.vat),
        "total_ttc": _eur(statement.total_ttc),
    }


def to_csv(statement: Statement) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["N°", "Date", "Formation", "Libellé", "Lignes", "Montant HT"])
    for r in statement.rows:
        writer.writerow(
            [
                r["id"],
                r["created_at"].strftime("%d/%m/%Y"),
                rules.TRAINING_LABELS[rules.TrainingType(r["training"])],
                r["label"],
                r["line_count"],
                f"{r['amount_cents'] / 100:.2f}".replace(".", ","),
            ]
        )
    for label, value in (
        ("Total HT", statement.total_ht),
        ("TVA 20 %", statement.vat),
        ("Total TTC", statement.total_ttc),
    ):
        writer.writerow(["", "", "", label, "", f"{value:.2f}".replace(".", ",")])
    return b"\xef\xbb\xbf" + out.getvalue().encode()
