"""The catalogue and the cart, computed with core.commerce (HT per line rounded, TVA 20 %, TTC)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from core.plugin_api import Amounts, FieldError, ValidationFailed, format_eur, line_amounts, totals

CATALOGUE = (
    {"reference": "PART-CLR-EXAMEN", "name": "Certification Le Robert", "type": "Partenaire / centre agréé",
     "unit_ht": Decimal("71.00")},
    {"reference": "PART-LAPOSTE-EXAMEN", "name": "Certification Le Robert", "type": "Partenaire / La Poste",
     "unit_ht": Decimal("100.00")},
)
MAX_QUANTITY = 10_000


KIND_OF = {"PART-CLR-EXAMEN": "centre", "PART-LAPOSTE-EXAMEN": "laposte"}


def cart(quantities: dict[str, Any]) -> dict[str, Any]:
    """The formatted cart (what `POST /cart` answers and the order page shows)."""
    lines, total = compute(quantities)
    return {"lines": [{"reference": ln["reference"], "name": ln["name"], "type": ln["type"],
                       "unit_ht": format_eur(ln["unit_ht"]), "quantity": ln["quantity"],
                       "amount_ht": format_eur(ln["amounts"].ht)} for ln in lines],
            "subtotal_ht": format_eur(total.ht), "tva": format_eur(total.tva), "total_ttc": format_eur(total.ttc)}


def compute(quantities: dict[str, Any]) -> tuple[list[dict[str, Any]], Amounts]:
    """The catalogue's lines with their quantity and amounts, and the totals (ValidationFailed naming each
    refused reference)."""
    errors = []
    lines = []
    for item in CATALOGUE:
        raw = quantities.get(item["reference"], 0)
        if not isinstance(raw, int) or isinstance(raw, bool) or not 0 <= raw <= MAX_QUANTITY:
            errors.append(FieldError(str(item["reference"]), f"La quantité doit être un entier de 0 à {MAX_QUANTITY}."))
            continue
        amounts = line_amounts(item["unit_ht"], raw)  # type: ignore[arg-type]
        lines.append({**item, "quantity": raw, "amounts": amounts})
    unknown = set(quantities) - {str(i["reference"]) for i in CATALOGUE}
    errors += [FieldError(ref, "Cette référence n'est pas au catalogue.") for ref in sorted(unknown)]
    if errors:
        raise ValidationFailed("Certaines quantités sont invalides.", errors)
    return lines, totals(line["amounts"] for line in lines)
