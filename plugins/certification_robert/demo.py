"""Demo data for `socle demo` (« Centre de langues Molière », through the `load_demo` hook): a stock of both
types, two orders (one accepted, one waiting for its quote), 40 candidates in every status — en création,
à attribuer, en attente (supervised session with activation codes), prévue (La Poste, convoked), passée —
and 4 groups, one candidate in several of them. Demo candidates sign in with the demo password."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, timedelta

from core.plugin_api import write_transaction
from plugins.certification_robert.services import candidates, catalogue, groups, steps, stock
from plugins.certification_robert.services.common import Ctx
from plugins.certification_robert.tables import Assignment, Candidate, Order

PASSWORD = "socle-demo-2026"  # the platform's demo password (core.demo.DEMO_PASSWORD)
PEOPLE = [("madame", "Camille", "Petit"), ("monsieur", "Hugo", "Lambert"), ("madame", "Emma", "Fontaine"),
          ("monsieur", "Louis", "Mercier"), ("madame", "Chloé", "Girard"), ("monsieur", "Jules", "Bonnet"),
          ("madame", "Inès", "Chevalier"), ("monsieur", "Nathan", "Rousseau"), ("madame", "Léa", "Vincent"),
          ("monsieur", "Gabriel", "Muller"), ("madame", "Manon", "Faure"), ("monsieur", "Arthur", "Henry"),
          ("madame", "Sarah", "Morel"), ("monsieur", "Adam", "Garnier"), ("madame", "Jade", "Leroy"),
          ("monsieur", "Raphaël", "Roux"), ("madame", "Louise", "David"), ("monsieur", "Paul", "Bertrand"),
          ("madame", "Alice", "Morin"), ("monsieur", "Tom", "Fournier"), ("madame", "Lina", "Girard"),
          ("monsieur", "Sacha", "André"), ("madame", "Rose", "Lefèvre"), ("monsieur", "Noah", "Mercier"),
          ("madame", "Anna", "Blanc"), ("monsieur", "Ethan", "Guérin"), ("madame", "Juliette", "Boyer"),
          ("monsieur", "Mathis", "Garcia"), ("madame", "Zoé", "Perrin"), ("monsieur", "Lucas", "Robin"),
          ("madame", "Mila", "Clément"), ("monsieur", "Timéo", "Gauthier"), ("madame", "Ambre", "Dumont"),
          ("monsieur", "Nolan", "Lopez"), ("madame", "Agathe", "Fontaine"), ("monsieur", "Yanis", "Chevallier"),
          ("madame", "Clara", "Masson"), ("monsieur", "Malo", "Sanchez"), ("madame", "Eva", "Nicolas"),
          ("monsieur", "Robin", "Lemaire")]
# index ranges of PEOPLE per status
CREATING, TO_ASSIGN, WAITING, LA_POSTE, PASSED = range(0, 6), range(6, 20), range(20, 28), range(28, 34), range(34, 40)
GROUPS = [("Société Lumière", "client", [*range(6, 16)]), ("Classe FLE B2 — 2026", "classe", [*range(16, 30)]),
          ("Session surveillée de printemps", "session", [*WAITING]),
          ("Auditeurs libres", "autre", [*range(30, 40), 8, 9])]


def _identity(i: int, civilite: str, first: str, last: str) -> dict[str, str]:
    plain = unicodedata.normalize("NFKD", f"{first}.{last}.{i}").encode("ascii", "ignore").decode()
    email = f"{plain}@candidats.example".lower()
    return {"civilite": civilite, "nom": last, "nom_naissance": last, "prenom": first, "courriel": email,
            "date_naissance": f"{1975 + i % 30}-{1 + i % 12:02d}-{1 + i % 27:02d}",
            "code_postal_naissance": f"{69001 + i % 9}", "commune_naissance": "Lyon", "pays_naissance": "France"}


async def load(organisation_id: int, office_id: int) -> None:
    c = Ctx(organisation_id, office_id)
    ids = []
    for i, (civilite, first, last) in enumerate(PEOPLE):
        row = await candidates.create(c, _identity(i, civilite, first, last))
        if i not in CREATING:
            await candidates.save_step(c, row.id, "mot_de_passe", {"mot_de_passe": PASSWORD,
                                                                      "confirmation": PASSWORD})
            await candidates.save_step(c, row.id, "informations",
                                       {"statut": list(steps.EMPLOYEE)[i % 5],
                                        "financement": list(steps.FUNDING)[i % 5]})
        ids.append(row.id)
    await _orders(c)
    await stock.add(c, "centre", 30)
    await stock.add(c, "laposte", 20)
    soon = date.today() + timedelta(days=21)
    await stock.assign(c, "centre", soon.isoformat(), [ids[i] for i in WAITING])
    await stock.assign(c, "laposte", (soon + timedelta(days=7)).isoformat(), [ids[i] for i in LA_POSTE], "09:30",
                       "Bureau de poste Paris Louvre, 52 rue du Louvre, 75001 Paris")
    past = [ids[i] for i in PASSED]
    await stock.assign(c, "centre", soon.isoformat(), past)
    held = date.today() - timedelta(days=14)  # that session took place: its candidates have passed the exam
    async with write_transaction():
        await Candidate.update({Candidate.status: "passee", Candidate.exam_date: held}).where(Candidate.id.is_in(past))
        await Assignment.update({Assignment.planned_on: held}).where(Assignment.candidate.is_in(past))
    for name, category, members in GROUPS:
        group = await groups.save(c, {"name": name, "category": category})
        await groups.associate(c, group.id, [ids[i] for i in members])


async def _orders(c: Ctx) -> None:
    now = datetime.now(UTC)
    for quantities, status, age in (({"PART-CLR-EXAMEN": 30, "PART-LAPOSTE-EXAMEN": 20}, "acceptee", 40),
                                    ({"PART-CLR-EXAMEN": 10, "PART-LAPOSTE-EXAMEN": 10}, "devis_demande", 2)):
        _, total = catalogue.compute(quantities)
        await Order(organisation=c.organisation_id, office=c.office_id, status=status,
                    quantity_centre=quantities["PART-CLR-EXAMEN"], quantity_laposte=quantities["PART-LAPOSTE-EXAMEN"],
                    total_ht=str(total.ht), total_tva=str(total.tva), total_ttc=str(total.ttc),
                    requested_by="direction@moliere.example", created_at=now - timedelta(days=age),
                    decided_at=now - timedelta(days=age - 1) if status == "acceptee" else None).save()
