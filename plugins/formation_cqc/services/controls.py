"""Every control of a registration before import (seed 003, step 3 « Vérifier »): active agrément, required
fields, formats, age at the end date, duplicates in the registration and against earlier registrations, and
the warning for a driver without an account. Pure: the caller passes what the database knows."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from plugins.formation_cqc.services import rules
from plugins.formation_cqc.services.rules import Agrement, TrainingType

FIELD_LABELS: dict[str, str] = {
    "reference": "Référence",
    "order_number": "N° de commande",
    "first_name": "Prénom",
    "last_name": "Nom",
    "birth_date": "Date de naissance",
    "licence": "N° de permis de conduire",
}


@dataclass(frozen=True, slots=True)
class LineIn:
    """One line as typed or read from a file: raw strings (dates as JJ/MM/AAAA or AAAA-MM-JJ)."""

    reference: str = ""
    order_number: str = ""
    first_name: str = ""
    last_name: str = ""
    birth_date: str = ""
    licence: str = ""


@dataclass(frozen=True, slots=True)
class CleanLine:
    reference: str
    order_number: str
    first_name: str
    last_name: str
    birth_date: date
    licence: str


@dataclass(frozen=True, slots=True)
class Issue:
    """An error or a warning; `line` is the 0-based index of the line, None for the session itself."""

    line: int | None
    field: str
    value: str
    message: str
    warning: bool = False


@dataclass(slots=True)
class Report:
    issues: list[Issue] = field(default_factory=list)
    lines: list[CleanLine | None] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if not i.warning]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.warning]

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_date(raw: str) -> date | None:
    value = raw.strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


# A driver is identified by licence number + birth date (seed: « l'identifiant unique du conducteur »).
DriverKey = tuple[str, date]
_TEXT_MAX = 60


def check_session(
    training: TrainingType | None, end: date | None, agrements: Iterable[Agrement], today: date
) -> list[Issue]:
    """Step 1: a training type, an end date not in the future, and an agrément active on that date."""
    issues: list[Issue] = []
    if training is None:
        issues.append(Issue(None, "training", "", "Choisissez le type de formation."))
    if end is None:
        issues.append(Issue(None, "end_date", "", "Indiquez la date de fin de formation (JJ/MM/AAAA)."))
    elif end > today:
        issues.append(Issue(None, "end_date", end.isoformat(), "La date de fin ne peut pas être dans le futur."))
    if training is not None and end is not None and not any(a.covers(training, end) for a in agrements):
        issues.append(
            Issue(
                None,
                "training",
                training.value,
                f"Votre centre n'a pas d'agrément {rules.TRAINING_LABELS[training]} actif au "
                f"{end.strftime('%d/%m/%Y')}.",
            )
        )
    return issues


def _check_line(
    index: int, line: LineIn, training: TrainingType | None, end: date | None
) -> tuple[list[Issue], CleanLine | None]:
    issues: list[Issue] = []

    def err(name: str, value: str, message: str) -> None:
        issues.append(Issue(index, name, value, message))

    reference = line.reference.strip()
    if len(reference) > _TEXT_MAX:
        err("reference", reference, f"La référence dépasse {_TEXT_MAX} caractères.")
    order = line.order_number.strip()
    if not order:
        err("order_number", "", "Le numéro de commande est obligatoire.")
    elif len(order) > _TEXT_MAX:
        err("order_number", order, f"Le numéro de commande dépasse {_TEXT_MAX} caractères.")
    names: dict[str, str | None] = {}
    for name, label in (("first_name", "prénom"), ("last_name", "nom")):
        raw = getattr(line, name)
        if not raw.strip():
            err(name, "", f"Le {label} est obligatoire.")
            names[name] = None
            continue
        names[name] = rules.normalise_name(raw)
        if names[name] is None:
            err(name, raw, f"Le {label} ne doit contenir que des lettres, espaces, tirets ou apostrophes.")
    birth = None
    if not line.birth_date.strip():
        err("birth_date", "", "La date de naissance est obligatoire.")
    else:
        birth = parse_date(line.birth_date)
        if birth is None:
            err("birth_date", line.birth_date, "Date de naissance invalide : attendu JJ/MM/AAAA.")
        elif end is not None and training is not None:
            message = rules.age_error(birth, end, training)
            if message:
                err("birth_date", line.birth_date, message)
    licence = None
    if not line.licence.strip():
        err("licence", "", "Le numéro de permis de conduire est obligatoire.")
    else:
        licence = rules.normalise_licence(line.licence)
        if licence is None:
            err(
                "licence",
                line.licence,
                "Numéro de permis invalide : 12 chiffres (NEPH) ou ancien numéro de 15 lettres et chiffres au plus.",
            )
    if issues or birth is None or licence is None:
        return issues, None
    first, last = names["first_name"], names["last_name"]
    assert first is not None and last is not None
    return issues, CleanLine(reference, order, first, last, birth, licence)


def check_registration(
    training: TrainingType | None,
    end: date | None,
    lines: list[LineIn],
    *,
    agrements: Iterable[Agrement],
    today: date,
    already_registered: Callable[[list[DriverKey]], set[DriverKey]] = lambda keys: set(),
    has_account: Callable[[list[DriverKey]], set[DriverKey]] = lambda keys: set(),
) -> Report:
    """Runs every control. `already_registered` answers which drivers already have a registration for this
    training and end date, `has_account` which have an account: both are asked once for all lines."""
    report = Report(issues=check_session(training, end, list(agrements), today))
    if not lines:
        report.issues.append(Issue(None, "lines", "", "Ajoutez au moins un conducteur."))
    seen: dict[DriverKey, int] = {}
    for index, line in enumerate(lines):
        issues, clean = _check_line(index, line, training, end)
        report.issues.extend(issues)
        report.lines.append(clean)
        if clean is None:
            continue
        key = (clean.licence, clean.birth_date)
        if key in seen:
            report.issues.append(
                Issue(index, "licence", line.licence, f"Ce conducteur figure déjà à la ligne {seen[key] + 1}.")
            )
        else:
            seen[key] = index
    keys = list(seen)
    if keys:
        registered = already_registered(keys)
        known = has_account(keys)
        for key, index in seen.items():
            raw = lines[index].licence
            if key in registered:
                report.issues.append(
                    Issue(index, "licence", raw, "Ce conducteur est déjà enregistré pour cette formation à cette date.")
                )
            elif key not in known:
                report.issues.append(
                    Issue(
                        index,
                        "licence",
                        raw,
                        "Ce conducteur n'a pas encore de compte : invitez-le à le créer pour recevoir ses documents.",
                        warning=True,
                    )
                )
    return report
