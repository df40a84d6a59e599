"""Demo data for `socle demo`: three services, a dozen motifs, lieux, counters, agents' services, a week of
plages d'ouverture and appointments (called through the `load_demo` hook)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from core.plugin_api import Actor, Role, SocleError, data
from plugins.rdv_service_public.services import booking, config, guichets, motifs, plages
from plugins.rdv_service_public.services.common import Ctx
from plugins.rdv_service_public.tables import AgentService

SERVICES = {"État civil": [
    ("Carte d'identité", 30, "sur_place", "#1f6feb", True, "cni"),
    ("Passeport", 30, "sur_place", "#8250df", True, "passeport"),
    ("Carte d'identité + passeport", 45, "sur_place", "#bf3989", True, "cni_passeport"),
    ("Acte de naissance", 15, "sur_place", "#0a7ea4", True, None),
    ("Dossier de mariage", 60, "sur_place", "#d4a72c", False, None),
    ("Recensement citoyen", 15, "sur_place", "#2da44e", True, None),
], "Urbanisme": [
    ("Permis de construire", 45, "sur_place", "#cf222e", True, None),
    ("Déclaration préalable de travaux", 30, "sur_place", "#fb8500", True, None),
    ("Certificat d'urbanisme", 30, "telephone", "#6e7781", False, None),
], "Action sociale": [
    ("Rendez-vous assistante sociale", 45, "sur_place", "#116329", False, None),
    ("Permanence CAF", 30, "sur_place", "#0969da", True, None),
    ("Atelier numérique (collectif)", 90, "sur_place", "#953800", True, None),
]}
AGENT_SERVICES = {"Sophie Garnier": ["État civil", "Urbanisme", "Action sociale"], "Luc Moreau": ["État civil"],
                  "Nadia Haddad": ["Urbanisme"], "Thomas Blanc": ["Action sociale"],
                  "Permanence CAF": ["Action sociale"], "Conciliateur de justice": ["Action sociale"]}
CITIZENS = ["Camille Petit", "Hugo Lambert", "Emma Fontaine", "Louis Mercier", "Chloé Girard", "Jules Bonnet",
            "Inès Chevalier", "Nathan Rousseau", "Léa Vincent", "Gabriel Muller", "Manon Faure", "Arthur Henry"]


async def load(organisation_id: int, office_id: int) -> None:
    owner = next(m for m in await data.members(organisation_id, office_id) if m.role is Role.owner)
    actor = Actor(0, owner.email or "", owner.id, organisation_id, Role.owner, owner.display_name)
    c = Ctx(organisation_id, office_id, await data.office_timezone(organisation_id, office_id), actor)
    services: dict[str, int] = {}
    motif_ids: dict[str, list[int]] = {}
    for service_name, rows in SERVICES.items():
        service = await config.save_service(c, {"name": service_name})
        services[service_name] = service.id
        for name, minutes, modality, color, online, category in rows:
            motif = await motifs.save(c, {
                "name": name, "service_id": service.id, "duration_minutes": minutes, "modality": modality,
                "color": color, "online": online, "category": category, "users_may_change": online,
                "min_delay_minutes": 120, "max_delay_minutes": 60 * 24 * 60,
                "collective": "collectif" in name, "max_participants": 8,
                "description": f"{name} auprès du service {service_name.lower()}.",
                "rgpd_text": "Vos données servent uniquement à la gestion de ce rendez-vous (conservation : 1 an).",
                "instructions_before": "Munissez-vous d'une pièce d'identité et d'un justificatif de domicile.",
                "instructions_after": "Merci de vous présenter 5 minutes avant l'heure du rendez-vous."})
            motif_ids.setdefault(service_name, []).append(motif.id)
    main = await config.save_lieu(c, {"name": "Hôtel de ville", "phone": "04 75 23 00 00",
                                      "address": "Place de l'Hôtel de Ville, 26240 Saint-Vallier"})
    annex = await config.save_lieu(c, {"name": "Mairie annexe des Îles", "phone": "04 75 23 00 10",
                                       "address": "3 rue des Îles, 26240 Saint-Vallier"})
    await guichets.save(c, {"name": "Guichet titres", "capacity": 2, "motif_ids": motif_ids["État civil"][:3]})
    members = {m.display_name: m for m in await data.members(organisation_id, office_id)}
    async with data.write_transaction():
        for name, service_names in AGENT_SERVICES.items():
            if name in members:
                for service_name in service_names:
                    await AgentService(organisation=organisation_id, office=office_id, member=members[name].id,
                                       service=services[service_name]).save()
    monday = date.today() - timedelta(days=date.today().weekday())
    for name, service_names in AGENT_SERVICES.items():
        if name not in members:
            continue
        served = [m for s in service_names for m in motif_ids[s]]
        if members[name].role is Role.intervenant:
            weekdays, hours, every = ([1], [("09:00", "12:00")], 1) if "CAF" in name else ([3], [("14:00", "17:00")], 2)
        else:
            weekdays, hours, every = [0, 1, 2, 3, 4], [("09:00", "12:00"), ("14:00", "17:00")], 1
        for start, end in hours:
            await plages.save(c, {"member_id": members[name].id, "weekdays": weekdays, "every_weeks": every,
                                  "first_day": monday, "start_time": start, "end_time": end, "motif_ids": served,
                                  "lieu_id": annex.id if name == "Nadia Haddad" else main.id})
    if "Nadia Haddad" in members:
        wednesday = monday + timedelta(days=2)
        await plages.save_absence(c, {"member_id": members["Nadia Haddad"].id, "label": "Formation",
                                      "starts_at": datetime.combine(wednesday, time(14), c.tz),
                                      "ends_at": datetime.combine(wednesday, time(17), c.tz)})
    await _appointments(c, monday, members, motif_ids, main.id)


async def _appointments(c: Ctx, monday: date, members: dict[str, Any], motif_ids: dict[str, list[int]],
                        lieu_id: int) -> None:
    plan = [("Luc Moreau", "État civil", 0), ("Luc Moreau", "État civil", 1), ("Nadia Haddad", "Urbanisme", 0),
            ("Thomas Blanc", "Action sociale", 0), ("Sophie Garnier", "État civil", 3),
            ("Permanence CAF", "Action sociale", 1)]
    count = 0
    for day in range(5):
        for index, (name, service_name, motif_index) in enumerate(plan):
            if name not in members:
                continue
            start = datetime.combine(monday + timedelta(days=day), time(9 + index % 3, 30 * (index % 2)), c.tz)
            citizen = CITIZENS[count % len(CITIZENS)]
            values = {"motif_id": motif_ids[service_name][motif_index], "member_id": members[name].id,
                      "lieu_id": lieu_id, "starts_at": start, "citizen_name": citizen,
                      "citizen_email": citizen.lower().replace(" ", ".").replace("é", "e").replace("è", "e")
                      .replace("ï", "i") + "@example.org", "citizen_phone": "06 12 34 56 78"}
            try:
                rdv = await booking.create(c, values, confirm_outside_hours=True)
            except SocleError:
                continue
            count += 1
            if start < datetime.now(c.tz):
                await booking.update(c, rdv.id, {"status": "vu" if count % 4 else "absent"})
