"""Money in euros as Decimal: VAT 20 % by default, amounts rounded half-up to the cent on each line,
totals summed from the rounded lines (so an invoice always adds up)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import msgspec

CENT = Decimal("0.01")
VAT_RATE = Decimal("0.20")
NBSP = "\u00a0"


def quantize(amount: Decimal | int | str) -> Decimal:
    """Round to the cent, half-up (0.005 → 0.01)."""
    try:
        return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation as error:
        raise ValueError(f"montant invalide : {amount!r}") from error


class Amounts(msgspec.Struct, frozen=True):
    """HT (before tax), TVA (VAT) and TTC (all taxes included), each rounded to the cent."""

    ht: Decimal
    tva: Decimal
    ttc: Decimal

    def __add__(self, other: Amounts) -> Amounts:
        return Amounts(self.ht + other.ht, self.tva + other.tva, self.ttc + other.ttc)


ZERO = Amounts(Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))


def line_amounts(unit_ht: Decimal, quantity: int = 1, vat_rate: Decimal = VAT_RATE) -> Amounts:
    """One invoice line: HT = unit × quantity, TVA = HT × rate, both rounded half-up; TTC = HT + TVA."""
    if quantity < 0 or vat_rate < 0:
        raise ValueError("quantité et taux de TVA doivent être positifs")
    ht = quantize(Decimal(unit_ht) * quantity)
    tva = quantize(ht * vat_rate)
    return Amounts(ht, tva, ht + tva)


def totals(lines: Iterable[Amounts]) -> Amounts:
    total = ZERO
    for line in lines:
        total = total + line
    return total


def format_eur(amount: Decimal) -> str:
    """French display: `1 710,00 €` (non-breaking spaces)."""
    sign = "-" if amount < 0 else ""
    units, cents = f"{abs(quantize(amount)):.2f}".split(".")
    groups = []
    while units:
        groups.insert(0, units[-3:])
        units = units[:-3]
    return sign + NBSP.join(groups) + "," + cents + NBSP + "€"
