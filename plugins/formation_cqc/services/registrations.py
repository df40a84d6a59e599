"""Importing a verified registration, in one transaction: the registration, its billed lines (cents HT).
The controls run again inside the transaction (agrément, duplicates already registered)."""

from __future__ import annotations

from datetime import date
from typing import Any

from core.plugin_api import ValidationFailed, write_transaction
from plugins.formation_cqc.services import issuing, rules
from plugins.formation_cqc.services.controls import (
    DriverKey,
    Issue,
    LineIn,
    Report,
    check_registration,
    parse_date,
)
from plugins.formation_cqc.services.drafts import Draft
from plugins.formation_cqc.services.rules import Profile, TrainingType
from plugins.formation_cqc.tables import Driver, Registration, RegistrationLine


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


async def with_account(keys: list[DriverKey]) -> set[DriverKey]:
    """`has_account` for the controls: the drivers who already claimed their registrations in « Mon espace »
    (one query); the others get the gold warning."""
    if not keys:
        return set()
    rows = await Driver.select(Driver.licence, Driver.birth_date).where(
        Driver.licence.is_in(sorted({licence for licence, _ in keys})))
    return {(r["licence"], r["birth_date"]) for r in rows}


async def verify(draft: Draft, office_id: int, agrements: list[rules.Agrement], today: date) -> Report:
    keys = [(rules.normalise_licence(line["licence"]) or "", d) for line in draft.lines
            if (d := parse_date(line["birth_date"])) is not None]
    known = await registered_lookup(office_id, draft.training_type(), draft.end())(keys)
    accounts = await with_account(keys)
    return draft.check(agrements, today, already_registered=lambda _: known, has_account=lambda _: accounts)


async def import_draft(draft: Draft, organisation_id: int, office_id: int, member_id: int,
                       agrements: list[rules.Agrement], today: date) -> int:
    """Registers the draft if it is still the verified one and still clean; returns the registration id."""
    if not draft.can_import:
        raise ValidationFailed.on("lines", "Cliquez d'abord sur « Vérifier » : la saisie a changé depuis.")
    async with write_transaction():
        report = await verify(draft, office_id, agrements, today)
        if not report.ok:
            raise ValidationFailed.on("lines", "Les contrôles ont échoué : vérifiez de nouveau la saisie.")
        training, end = draft.training_type(), draft.end()
        assert training is not None and end is not None
        return await _insert(training, draft.label, end, report, "manuel", organisation_id, office_id, member_id,
                             profile=draft.profile_type(), centre_pays=draft.centre_pays)


async def import_lines(training: TrainingType | None, label: str, end: date | None, lines: list[LineIn], mode: str,
                       organisation_id: int, office_id: int, member_id: int, agrements: list[rules.Agrement],
                       today: date, idempotency_key: str = "", *, profile: Profile = Profile.conducteur,
                       centre_pays: bool = False) -> tuple[Report, int | None]:
    """File or API import: every control, and the registration only if all lines are clean (one transaction)."""
    async with write_transaction():
        keys = [(rules.normalise_licence(line.licence) or "", d) for line in lines
                if (d := parse_date(line.birth_date)) is not None]
        known = await registered_lookup(office_id, training, end)(keys)
        accounts = await with_account(keys)
        report = check_registration(training, end, lines, agrements=agrements, today=today,
                                    already_registered=lambda _: known, has_account=lambda _: accounts)
        if not label.strip():
            report.issues.insert(0, Issue(None, "label", "", "Indiquez le libellé de la formation."))
        if not report.ok or training is None or end is None:
            return report, None
        if idempotency_key and await by_idempotency_key(office_id, idempotency_key) is not None:
            return report, None  # a concurrent retry won: the caller reads that one
        return report, await _insert(training, label, end, report, mode, organisation_id, office_id, member_id,
                                     idempotency_key, profile=profile, centre_pays=centre_pays)


async def _insert(training: TrainingType, label: str, end: date, report: Report, mode: str, organisation_id: int,
                  office_id: int, member_id: int, idempotency_key: str = "", *,
                  profile: Profile = Profile.conducteur, centre_pays: bool = False) -> int:
    lines = [line for line in report.lines if line is not None]
    fee = int(rules.registration_fee(training, profile, centre_pays) * 100)
    registration = Registration(organisation=organisation_id, office=office_id, training=training.value,
                                label=" ".join(label.split())[:200], end_date=end, profile=profile.value,
                                mode=mode, line_count=len(lines), amount_cents=fee * len(lines),
                                centre_pays_cqc=centre_pays, created_by=member_id, idempotency_key=idempotency_key)
    await registration.save()
    # one multi-row INSERT per 500 lines (13 values each, under SQLite's bound-parameter limit): building
    # 10 000 Piccolo row objects costs more than the database does
    columns = ("registration", "organisation", "office", "training", "end_date", "reference", "order_number",
               "first_name", "last_name", "birth_date", "licence", "fee_cents")
    row_sql = "(" + ", ".join(["{}"] * len(columns)) + ")"
    for start in range(0, len(lines), 500):
        chunk = lines[start:start + 500]
        values: list[object] = []
        for line in chunk:
            values += [registration.id, organisation_id, office_id, training.value, end, line.reference,
                       line.order_number, line.first_name, line.last_name, line.birth_date, line.licence, fee]
        await RegistrationLine.raw(
            f"INSERT INTO {RegistrationLine._meta.tablename} ({', '.join(columns)}) VALUES "
            + ", ".join([row_sql] * len(chunk)), *values
        )
    await issuing.schedule(int(registration.id), organisation_id, office_id, len(lines))
    return int(registration.id)


async def of_office(office_id: int) -> list[dict[str, Any]]:
    return list(await Registration.select().where(Registration.office == office_id).order_by(
        Registration.id, ascending=False))


async def progress(office_id: int) -> dict[int, int]:
    """Per registration, how many lines the documents job has done (PDFs stored, or trainer notified): one
    grouped query, so « Mes sessions » shows the progress of a large import."""
    from piccolo.query.functions.aggregate import Count

    rows = await RegistrationLine.select(RegistrationLine.registration, Count(RegistrationLine.id, alias="done")).where(
        (RegistrationLine.office == office_id)
        & (RegistrationLine.certificate_document.is_not_null() | (RegistrationLine.notified == True))  # noqa: E712
    ).group_by(RegistrationLine.registration)
    return {int(r["registration"]): int(r["done"]) for r in rows}


async def by_idempotency_key(office_id: int, key: str) -> dict[str, Any] | None:
    row = await Registration.select().where(
        (Registration.office == office_id) & (Registration.idempotency_key == key)).first()
    if row is None:
        return None
    return {"id": row["id"], "lines": row["line_count"], "amount_ht": f"{row['amount_cents'] / 100:.2f}"}
