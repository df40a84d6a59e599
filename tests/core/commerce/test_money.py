"""Money: VAT 20 % by default, half-up rounding per line, totals from rounded lines, French display."""

from decimal import Decimal

import pytest

from core.commerce.money import format_eur, line_amounts, quantize, totals

pytestmark = pytest.mark.nodb


def test_seed_002_example_ten_offices_two_modules():
    """10 × 71 € + 10 × 100 € HT → 1 710,00 HT, 342,00 TVA, 2 052,00 TTC."""
    lines = [line_amounts(Decimal("71")) for _ in range(10)] + [line_amounts(Decimal("100")) for _ in range(10)]
    total = totals(lines)
    assert (total.ht, total.tva, total.ttc) == (Decimal("1710.00"), Decimal("342.00"), Decimal("2052.00"))
    assert [format_eur(v) for v in (total.ht, total.tva, total.ttc)] == [
        "1\u00a0710,00\u00a0€", "342,00\u00a0€", "2\u00a0052,00\u00a0€"]


def test_each_line_is_rounded_half_up_before_summing():
    line = line_amounts(Decimal("0.125"))  # HT 0.13 (half-up), TVA 0.026 → 0.03
    assert (line.ht, line.tva, line.ttc) == (Decimal("0.13"), Decimal("0.03"), Decimal("0.16"))
    three = totals([line_amounts(Decimal("0.125"))] * 3)
    assert three.tva == Decimal("0.09")  # per line; rounding the sum (0.078) would give 0.08


@pytest.mark.parametrize(("amount", "expected"), [("2.345", "2.35"), ("2.344", "2.34"), ("-2.345", "-2.35")])
def test_quantize_half_up(amount, expected):
    assert quantize(amount) == Decimal(expected)


def test_quantity_and_other_rates():
    line = line_amounts(Decimal("19.99"), quantity=3, vat_rate=Decimal("0.055"))
    assert (line.ht, line.tva, line.ttc) == (Decimal("59.97"), Decimal("3.30"), Decimal("63.27"))
    with pytest.raises(ValueError):
        line_amounts(Decimal("1"), quantity=-1)


def test_format_large_and_negative():
    assert format_eur(Decimal("1234567.5")) == "1\u00a0234\u00a0567,50\u00a0€"
    assert format_eur(Decimal("-12")) == "-12,00\u00a0€"
