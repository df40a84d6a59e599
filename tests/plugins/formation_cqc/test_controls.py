"""Controls of a CQC registration (seed 003, « Vérifier »): each boundary — 17 y 364 d / 18 y, 99 / 100 y,
Éducation nationale minors, agrément valid-from and valid-to days, NEPH with spaces, the seed's old licence
number, names with accents, hyphens and apostrophes, duplicates in the registration and already registered,
the gold warning for a driver without an account — plus fees to the cent and certificate dates."""

import asyncio
import io
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from core.plugin_api import render_pdf
from plugins.formation_cqc.services import documents, rules
from plugins.formation_cqc.services.controls import CleanLine, LineIn, check_registration
from plugins.formation_cqc.services.rules import Agrement, Profile, Sector, TrainingType

pytestmark = pytest.mark.nodb

END = date(2026, 6, 15)
TODAY = date(2026, 12, 1)
AGREMENTS = [
    Agrement(TrainingType.fco, Sector.marchandises, "AG-1", date(2026, 1, 1), date(2026, 6, 30)),
    Agrement(TrainingType.education_nationale, Sector.voyageurs, "AG-2", date(2020, 1, 1), date(2030, 1, 1)),
]
SEED_LINE = LineIn("REF202201", "COM20220101", "DUPONT", "PIERRE", "01/01/1990", "7E9R8T7ZE9E8A9")


def _check(lines, training=TrainingType.fco, end=END, **kw):
    return check_registration(training, end, lines, agrements=AGREMENTS, today=TODAY, **kw)


def _fields(report):
    return [(i.line, i.field) for i in report.errors]


def _line(**kw):
    values = dict(order_number="COM1", first_name="Pierre", last_name="Dupont", birth_date="01/01/1990")
    values["licence"] = "123456789012"
    values.update(kw)
    return LineIn(**values)


def test_seed_example_line_is_clean_with_a_no_account_warning():
    report = _check([SEED_LINE])
    assert report.ok, report.errors
    assert [(w.line, w.field) for w in report.warnings] == [(0, "licence")]
    assert "pas encore de compte" in report.warnings[0].message
    assert report.lines[0].licence == "7E9R8T7ZE9E8A9"


def test_driver_with_an_account_gets_no_warning():
    report = _check([SEED_LINE], has_account=lambda keys: set(keys))
    assert report.ok and not report.warnings


@pytest.mark.parametrize(
    ("birth", "ok"),
    [("16/06/2008", False), ("15/06/2008", True), ("16/06/1926", True), ("15/06/1926", False)],
    ids=["17y364d", "18y", "99y364d", "100y"],
)
def test_age_bounds_at_the_end_date(birth, ok):
    report = _check([_line(birth_date=birth)])
    assert report.ok is ok, report.errors
    if not ok:
        assert _fields(report) == [(0, "birth_date")]


def test_education_nationale_allows_minors_but_not_centenarians():
    assert _check([_line(birth_date="16/06/2010")], training=TrainingType.education_nationale).ok
    report = _check([_line(birth_date="15/06/1926")], training=TrainingType.education_nationale)
    assert _fields(report) == [(0, "birth_date")]


def test_birth_after_the_end_date_is_refused():
    assert _fields(_check([_line(birth_date="16/06/2026")], training=TrainingType.education_nationale)) == [
        (0, "birth_date")
    ]


@pytest.mark.parametrize(
    ("end", "ok"),
    [(date(2025, 12, 31), False), (date(2026, 1, 1), True), (date(2026, 6, 30), True), (date(2026, 7, 1), False)],
    ids=["day-before-from", "valid-from", "valid-to", "day-after-to"],
)
def test_agrement_active_on_the_end_date(end, ok):
    report = _check([_line(birth_date="01/01/1980")], end=end)
    assert report.ok is ok
    if not ok:
        assert _fields(report) == [(None, "training")]
        assert "pas d'agrément FCO complète actif" in report.errors[0].message


def test_offered_trainings_follow_the_agrements():
    assert rules.offered_trainings(AGREMENTS, date(2026, 6, 30)) == [TrainingType.fco, TrainingType.education_nationale]
    assert rules.offered_trainings(AGREMENTS, date(2026, 7, 1)) == [TrainingType.education_nationale]


def test_session_needs_a_type_and_a_past_end_date():
    report = check_registration(None, None, [_line()], agrements=AGREMENTS, today=TODAY)
    assert _fields(report) == [(None, "training"), (None, "end_date")]
    report = _check([_line()], end=date(2026, 12, 2))
    assert (None, "end_date") in _fields(report)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("123456789012", "123456789012"),
        ("12 3456 789 012", "123456789012"),
        ("7E9R8T7ZE9E8A9", "7E9R8T7ZE9E8A9"),
        ("7e9r8t7ze9e8a9", "7E9R8T7ZE9E8A9"),
        ("ABCDEFGHIJ12345", "ABCDEFGHIJ12345"),
        ("ABCDEFGHIJ123456", None),
        ("12345678901", None),
        ("1234567890123", None),
        ("7E9R-8T7Z", None),
        ("", None),
    ],
)
def test_licence_numbers(raw, expected):
    assert rules.normalise_licence(raw) == expected


@pytest.mark.parametrize(
    "name", ["Élodie", "Jean-Pierre", "D'Artagnan", "N’Diaye", "Lefèvre Dupont", "ÇÀÉÏÔ", "Marie  Anne"]
)
def test_names_with_accents_hyphens_apostrophes(name):
    assert _check([_line(first_name=name, last_name=name)]).ok


@pytest.mark.parametrize("name", ["Pierre2", "-Pierre", "Jean--Pierre", "Pierre_", "<b>", "Jean-"])
def test_bad_names(name):
    assert _fields(_check([_line(last_name=name)])) == [(0, "last_name")]


def test_required_fields_each_named():
    report = _check([LineIn()])
    assert _fields(report) == [(0, f) for f in ("order_number", "first_name", "last_name", "birth_date", "licence")]


def test_bad_date_format():
    report = _check([_line(birth_date="1990-13-01"), _line(birth_date="31/02/1990", licence="223456789012")])
    assert _fields(report) == [(0, "birth_date"), (1, "birth_date")]


def test_same_driver_twice_in_one_registration():
    report = _check([_line(), _line(licence="1234 5678 9012", first_name="Paul"), _line(licence="999999999999")])
    assert _fields(report) == [(1, "licence")]
    assert "ligne 1" in report.errors[0].message


def test_same_licence_other_birth_date_is_another_driver():
    assert _check([_line(), _line(birth_date="02/01/1990")]).ok


def test_already_registered_for_same_training_and_date():
    asked = []

    def registered(keys):
        asked.append(keys)
        return {("123456789012", date(1990, 1, 1))}

    report = _check([_line(), _line(licence="999999999999")], already_registered=registered)
    assert _fields(report) == [(0, "licence")]
    assert len(asked) == 1 and len(asked[0]) == 2


def test_empty_registration():
    assert _fields(_check([])) == [(None, "lines")]


@pytest.mark.parametrize(
    ("training", "profile", "pays", "fee"),
    [
        (TrainingType.fco, Profile.conducteur, False, "25.34"),
        (TrainingType.longue, Profile.conducteur, False, "25.34"),
        (TrainingType.fco_module, Profile.conducteur, False, "5.07"),
        (TrainingType.fco, Profile.formateur, True, "25.34"),
        (TrainingType.fco, Profile.moniteur, False, "0.00"),
    ],
)
def test_fees(training, profile, pays, fee):
    assert rules.registration_fee(training, profile, pays) == Decimal(fee)


def test_monthly_totals_to_the_cent():
    total = 3 * rules.FEE_FULL + 7 * rules.FEE_MODULE
    assert total == Decimal("111.51")
    assert rules.vat_of(total) == Decimal("22.30")


@pytest.mark.parametrize(
    ("issued", "birth", "start", "until"),
    [
        (date(2026, 3, 10), date(1990, 5, 1), date(2026, 3, 10), date(2026, 7, 9)),
        (date(2026, 10, 31), date(1990, 5, 1), date(2026, 10, 31), date(2027, 2, 27)),
        (date(2026, 3, 10), date(2009, 9, 1), date(2027, 9, 1), date(2027, 12, 31)),
        (date(2026, 3, 10), date(2008, 2, 29), date(2026, 3, 10), date(2026, 7, 9)),
        (date(2025, 3, 10), date(2008, 2, 29), date(2026, 3, 1), date(2026, 6, 30)),
    ],
    ids=["adult", "month-end", "minor", "leap-day-adult", "leap-day-minor"],
)
def test_certificate_validity(issued, birth, start, until):
    assert rules.certificate_validity(issued, birth) == (start, until)


def test_leap_day_birthday_age():
    assert rules.age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert rules.age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


def test_summary_kept_six_years():
    assert rules.summary_keep_until(date(2026, 2, 28)) == date(2032, 2, 28)
    assert rules.summary_keep_until(date(2028, 2, 29)) == date(2034, 2, 28)


def test_documents_render_with_accents_and_validity_dates():
    """The two PDFs render through core's Typst helper; the text read back holds the name and the dates."""
    line = CleanLine("REF1", "COM1", "Zoé", "N'Diaye-Lefèvre", date(2009, 9, 1), "123456789012")
    session = documents.Session(TrainingType.education_nationale, "CAP conducteur routier", date(2026, 6, 15), "AG-2")
    org = {"name": "Centre de formation Routes du Rhône", "address": "12 quai Perrache, 69002 Lyon"}
    for template, context in (
        (documents.SUMMARY_TEMPLATE, documents.summary_context(session, line, date(2026, 6, 16))),
        (documents.CERTIFICATE_TEMPLATE, documents.certificate_context(session, line, date(2026, 6, 16))),
    ):
        pdf = asyncio.run(render_pdf(template, context, org))
        text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages)
        assert "Zoé" in text and "Lefèvre" in text
    assert "01/09/2027" in " ".join(text.split()) and "31/12/2027" in " ".join(text.split())
