"""Importing a verified registration, in one transaction: the registration, its billed lines (cents HT).
The controls run again inside the transaction (agrément, duplicates already registered)."""

from __future__ import annotations

from datetime import date
from typing import Any

from core.plugin_api import ValidationFailed, write_transaction
from plugins.formation_cqc.services import rules
from plugins.formation_cqc.services.controls import CleanLine, DriverKey, Report, parse_date
from plugins.formation_cqc.services.drafts import Draft
from plugins.formation_cqc.services.rules import Profile, TrainingType
from plugins.formation_cqc.tables import Registration, RegistrationLine


def registered_lookup(office_id: int, training: TrainingType | None, end: date | None) -> Any:
    """`already_registered` for the controls: one query for all the lines' licence numbers."""

    async def fetch(keys: list[DriverKey]) -> set[DriverKey]:
        if not keys or training is None or end is None:
            return set()
        licences = sorted({licence for licence, _ in keys})
        rows = await RegistrationLine.select(RegistrationLine.licence, RegistrationLine.birth_date).where(
            (RegistrationLine.office == office_id) & (RegistrationLine.training == training.value)
            & (RegistrationLine.end_date == end) & RegistrationLine.licence.is_in(licences)
        )
        return {(r["licence"], r["birth_date"]) for r in rows}

    return fetch


async def verify(draft: Draft, office_id: int, agrements: list[rules.Agrement], today: date) -> Report:
    known = await registered_lookup(office_id, draft.training_type(), draft.end())(
        [(line["licence"].replace(" ", "").upper(), d) for line in draft.lines
         if (d := parse_date(line["birth_date"])) is not None]
    )
    return draft.check(agrements, today, already_registered=lambda keys: known)


async def import_draft(draft: Draft, organisation_id: int, office_id: int, member_id: int,
                       agrements: list[rules.Agrement], today: date) -> int:
    """Registers the draft if it is still the verified one and still clean; returns the registration id."""
    if not draft.can_import:
        raise ValidationFailed.on("lines", "Cliquez d'abord sur « Vérifier » : la saisie a changé depuis.")
    async with write_transaction():
        report = await verify(draft, office_id, agrements, today)
        if not report.ok:
            raise ValidationFailed.on("lines", "Les contrôles ont échoué : vérifiez de nouveau la saisie.")
        training = draft.training_type()
        end = draft.end()
        assert training is not None and end is not None
        lines = [line for line in report.lines if line is not None]
        fees = [int(rules.registration_fee(training, Profile.conducteur, False) * 100) for _ in lines]
        registration = Registration(organisation=organisation_id, office=office_id, training=training.value,
                                    label=draft.label, end_date=end, profile=Profile.conducteur.value,
                                    mode="manuel", line_count=len(lines), amount_cents=sum(fees),
                                    created_by=member_id)
        await registration.save()
        await RegistrationLine.insert(*[_line_row(registration.id, organisation_id, office_id, training, end, line, fee)
                                        for line, fee in zip(lines, fees, strict=True)]).run()
    return int(registration.id)


def _line_row(registration_id: int, organisation_id: int, office_id: int, training: TrainingType, end: date,
              line: CleanLine, fee: int) -> RegistrationLine:
    return RegistrationLine(registration=registration_id, organisation=organisation_id, office=office_id,
                            training=training.value, end_date=end, reference=line.reference,
                            order_number=line.order_number, first_name=line.first_name, last_name=line.last_name,
                            birth_date=line.birth_date, licence=line.licence, fee_cents=fee)


async def of_office(office_id: int) -> list[dict[str, Any]]:
    return list(await Registration.select().where(Registration.office == office_id).order_by(
        Registration.id, ascending=False))
