"""Demo data for `socle demo` (the `load_demo` hook): « Centre de formation Routes du Rhône » with its
agréments (one expired), past sessions for conducteurs and a moniteur, and drivers with and without an account.

The driver with an account (`DRIVER_EMAIL`, created by the core demo as a served person) has already claimed
their registrations, so the centre sees no gold warning for them and the worker files their PDFs in their
space; the others show how the claim works (licence number + birth date + surname, listed in `UNCLAIMED`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from core.plugin_api import write_transaction
from plugins.formation_cqc.services import agrements, registrations
from plugins.formation_cqc.services.controls import LineIn
from plugins.formation_cqc.services.rules import Profile, TrainingType
from plugins.formation_cqc.tables import AgrementRow, CardRequest, Driver, Registration, RegistrationLine

DRIVER_EMAIL = "conducteur@routes-du-rhone.example"
AGREMENTS = [  # (training, sector, number, valid from, valid to)
    ("fimo", "marchandises", "AGR-69-FIMO-0412", date(2021, 1, 1), date(2030, 12, 31)),
    ("fco", "marchandises", "AGR-69-FCO-0413", date(2021, 1, 1), date(2030, 12, 31)),
    ("fco_module", "marchandises", "AGR-69-FCOM-0414", date(2022, 6, 1), date(2030, 12, 31)),
    ("fco", "voyageurs", "AGR-69-FCOV-0415", date(2023, 1, 1), date(2030, 12, 31)),
    ("passerelle", "voyageurs", "AGR-69-PAS-0416", date(2023, 1, 1), date(2030, 12, 31)),
    ("education_nationale", "marchandises", "AGR-69-EN-0417", date(2024, 9, 1), date(2030, 8, 31)),
    ("longue", "marchandises", "AGR-69-FL-0301", date(2018, 1, 1), date(2023, 12, 31)),  # expired: not offered
]
WITH_ACCOUNT = LineIn("REF2026-01", "COM20260901", "Karim", "Haddad", "15/03/1985", "120369000123")
UNCLAIMED = [  # the seed's example line, and drivers who have not signed up yet
    LineIn("REF202201", "COM20220101", "PIERRE", "DUPONT", "01/01/1990", "7E9R8T7ZE9E8A9"),
    LineIn("REF2026-02", "COM20260901", "Élodie", "Saint-Cyr", "22/07/1992", "140769001234"),
    LineIn("", "COM20260901", "Jean-Luc", "D'Almeida", "03/11/1978", "0912 6900 0456"),
    LineIn("", "CHORUS-2026-118", "Sofiane", "Benali", "09/05/1999", "190569007890"),
]


async def load(organisation_id: int, office_id: int, member_id: int, driver_account: int | None) -> None:
    async with write_transaction():
        for training, sector, number, valid_from, valid_to in AGREMENTS:
            await AgrementRow.insert(AgrementRow(organisation=organisation_id, office=office_id, training=training,
                                                 sector=sector, number=number, valid_from=valid_from,
                                                 valid_to=valid_to)).run()
        if driver_account is not None:
            await Driver.insert(Driver(licence=WITH_ACCOUNT.licence, birth_date=date(1985, 3, 15),
                                       account=driver_account, email=DRIVER_EMAIL)).run()
    held = await agrements.of_office(office_id)
    today = date.today()
    sessions = [  # (days ago, training, label, conducteur lines)
        (75, TrainingType.fco, "FCO marchandises — session de septembre", [WITH_ACCOUNT, *UNCLAIMED[:2]]),
        (40, TrainingType.fimo, "FIMO marchandises — promotion automne", UNCLAIMED[1:]),
        (12, TrainingType.fco_module, "Module FCO — éco-conduite", [WITH_ACCOUNT, UNCLAIMED[3]]),
    ]
    for days, training, label, lines in sessions:
        end = today - timedelta(days=days)
        report, registration_id = await registrations.import_lines(
            training, label, end, lines, "fichier", organisation_id, office_id, member_id, held, today)
        assert registration_id is not None, report.errors
        await Registration.update({Registration.created_at: datetime.combine(
            end + timedelta(days=2), datetime.min.time(), UTC)}).where(Registration.id == registration_id)
    await registrations.import_lines(  # a moniteur whose CQC fee the centre pays
        TrainingType.fco, "Moniteur — FCO marchandises", today - timedelta(days=5),
        [LineIn("", "COM20261101", "Nadia", "Roussel", "12/12/1980", "111269004321")], "manuel",
        organisation_id, office_id, member_id, held, today, profile=Profile.moniteur, centre_pays=True)
    if driver_account is not None:  # a card request waiting on « Demandes de carte CQC »
        line = await RegistrationLine.select(RegistrationLine.id).where(
            (RegistrationLine.office == office_id) & (RegistrationLine.licence == WITH_ACCOUNT.licence)).order_by(
            RegistrationLine.end_date, ascending=False).first()
        if line is not None:
            await CardRequest.insert(CardRequest(organisation=organisation_id, office=office_id,
                                                 account=driver_account, line=line["id"],
                                                 address="8 quai Saint-Vincent", postcode="69001", city="Lyon"))


async def driver_account() -> int | None:
    """The demo driver's account id. Demo data only: the one place this module reads a core table (by name,
    read-only), because `load_demo` receives no account and a real driver links their account by a claim."""
    rows = await Driver.raw("SELECT id FROM core_user WHERE email = {}", DRIVER_EMAIL)
    return int(rows[0]["id"]) if rows else None
