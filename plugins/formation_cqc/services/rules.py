"""Pure rules of the CQC trainings: training types, agréments, ages, licence numbers, fees and validity
dates. No database, no web framework: every function here is a boundary the tests pin down."""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal


class TrainingType(enum.StrEnum):
    fimo = "fimo"
    fco = "fco"
    fco_module = "fco_module"
    passerelle = "passerelle"
    longue = "longue"
    education_nationale = "education_nationale"


TRAINING_LABELS: dict[TrainingType, str] = {
    TrainingType.fimo: "FIMO",
    TrainingType.fco: "FCO complète",
    TrainingType.fco_module: "Module de FCO",
    TrainingType.passerelle: "Passerelle",
    TrainingType.longue: "Formation longue",
    TrainingType.education_nationale: "Éducation nationale",
}


class Sector(enum.StrEnum):
    marchandises = "marchandises"
    voyageurs = "voyageurs"


class Profile(enum.StrEnum):
    conducteur = "conducteur"
    formateur = "formateur"
    moniteur = "moniteur"


PROFILE_LABELS: dict[Profile, str] = {
    Profile.conducteur: "Conducteur",
    Profile.formateur: "Formateur",
    Profile.moniteur: "Moniteur",
}


def parse_profile(raw: str) -> Profile | None:
    try:
        return Profile(raw)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Agrement:
    """An approval of the centre for one training type (and sector), valid from/to inclusive."""

    training: TrainingType
    sector: Sector
    number: str
    valid_from: date
    valid_to: date

    def covers(self, training: TrainingType, on: date) -> bool:
        return self.training is training and self.valid_from <= on <= self.valid_to


def offered_trainings(agrements: list[Agrement], on: date) -> list[TrainingType]:
    """The training types with an agrément active on `on` (the training's end date), in enum order."""
    return [t for t in TrainingType if any(a.covers(t, on) for a in agrements)]


def age_on(birth: date, on: date) -> int:
    """Whole years reached on `on` (a 29 February birthday counts as reached on 1 March)."""
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


MIN_AGE = 18
MAX_AGE = 100  # exclusive: the driver must be under 100 at the end date


def age_error(birth: date, end: date, training: TrainingType) -> str | None:
    """The French message if the age at the end date is out of bounds, else None."""
    if birth > end:
        return "La date de naissance est postérieure à la date de fin de formation."
    age = age_on(birth, end)
    if age >= MAX_AGE:
        return "Le conducteur ne peut pas avoir 100 ans ou plus à la date de fin de formation."
    if age < MIN_AGE and training is not TrainingType.education_nationale:
        return "Le conducteur doit être majeur à la date de fin de formation."
    return None


_NEPH = re.compile(r"[0-9]{12}")
_OLD_LICENCE = re.compile(r"[A-Z0-9]{1,15}")


def normalise_licence(raw: str) -> str | None:
    """The licence number without spaces, upper case, if it is a 12-digit NEPH or an older number of up to
    15 letters and digits (such as ``7E9R8T7ZE9E8A9``); None if it is neither."""
    value = "".join(raw.split()).upper()
    if _NEPH.fullmatch(value) or (_OLD_LICENCE.fullmatch(value) and not value.isdigit()):
        return value
    return None


_NAME = re.compile(r"[^\W\d_]+(?:[ '’\-][^\W\d_]+)*")


def normalise_name(raw: str) -> str | None:
    """The name trimmed with single spaces if it holds letters (accents allowed) joined by one space,
    hyphen or apostrophe; None otherwise. NFC so that « é » typed two ways compares equal."""
    value = " ".join(unicodedata.normalize("NFC", raw).split())
    if not value or len(value) > 100 or not _NAME.fullmatch(value):
        return None
    return value


def name_key(name: str) -> str:
    """Comparison key of a surname: no accents, no case, no separators (« Lefèvre-D'Arc » ~ « LEFEVRE DARC »)."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if c.isalnum()).casefold()


FEE_FULL = Decimal("25.34")
FEE_MODULE = Decimal("5.07")
VAT_RATE = Decimal("0.20")


def registration_fee(training: TrainingType, profile: Profile, centre_pays_cqc: bool) -> Decimal:
    """HT fee of one registration line: 5,07 € for an FCO module, 25,34 € otherwise; a formateur or
    moniteur line costs 25,34 € only when the centre chose to pay their CQC fee."""
    if profile is not Profile.conducteur:
        return FEE_FULL if centre_pays_cqc else Decimal("0.00")
    return FEE_MODULE if training is TrainingType.fco_module else FEE_FULL


def vat_of(total_ht: Decimal) -> Decimal:
    return (total_ht * VAT_RATE).quantize(Decimal("0.01"))


def add_months(day: date, months: int) -> date:
    """Same day `months` later, clamped to the month's last day (31 October + 4 months → 28/29 February)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def eighteenth_birthday(birth: date) -> date:
    """The day the person turns 18; born on 29 February → 1 March of a non-leap year."""
    try:
        return birth.replace(year=birth.year + 18)
    except ValueError:
        return date(birth.year + 18, 3, 1)


CERTIFICATE_MONTHS = 4
_ONE_DAY = timedelta(days=1)
SUMMARY_KEEP_YEARS = 6


def certificate_validity(issued: date, birth: date) -> tuple[date, date]:
    """(valid from, valid until inclusive) of the certificate of qualification: 4 months from issue, or from
    the 18th birthday for a driver still a minor on the issue day."""
    start = max(issued, eighteenth_birthday(birth))
    return start, add_months(start, CERTIFICATE_MONTHS) - _ONE_DAY


def summary_keep_until(issued: date) -> date:
    """The training summary is kept 6 years."""
    return add_months(issued, 12 * SUMMARY_KEEP_YEARS)
