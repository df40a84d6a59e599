"""A re-capture that moves a Printel lot (date, heure or lieu) tells its élèves: each one with an email gets
« Votre examen a été déplacé » once (through a real SMTP server on loopback) with the old and the new date,
heure and centre, and an ICS REQUEST with the booking's UID and a higher SEQUENCE; a change of the number of
places only tells no one, and capturing the same lot again sends nothing more."""

import datetime as dt

import httpx
import pytest

from core.testing.fixtures import deliver_outbox, mail_text, smtp_to
from plugins.passerelle_examens.services.notices import french_date
from tests.plugins.passerelle_examens.conftest import STUDENT
from tests.plugins.passerelle_examens.places_helpers import LOGIN, add_student, lot_row
from tests.plugins.passerelle_examens.test_booking import invitation

MOVED = "Votre examen a été déplacé"
OTHER_EMAIL = "hugo.martin@exemple.fr"


@pytest.fixture
def smtp_settings(smtp_server):
    return smtp_to(smtp_server)


def to(smtp_server, address: str, subject: str) -> list:
    return [m for m in smtp_server.messages if m["To"] == address and m["Subject"].startswith(subject)]


async def _assign(client, s, lot_id: int, student_id: int) -> dict:
    made = await client.post(s.api(f"/places/{lot_id}/assignments"), headers=s.headers, json={"eleve": student_id})
    assert made.status_code == 201, made.text
    return made.json()


async def _recapture(client, p, row: dict) -> dict:
    async with httpx.AsyncClient(base_url=p.url) as sim:
        assert (await sim.post("/_places", json={"login": LOGIN, "places": [row]})).status_code == 204
    captured = await client.post(p.s.api("/places/capture"), headers=p.s.headers)
    assert captured.status_code == 200, captured.text
    return captured.json()


async def test_a_moved_lot_emails_each_eleve_once_with_an_updated_invitation(
        printel_lot, client, settings, smtp_server) -> None:
    p = await printel_lot(places=3, days=20, heure="09:00")
    s, lot_id = p.s, p.lot["id"]
    other = await add_student(client, s, courriel=OTHER_EMAIL)
    silent = await add_student(client, s, nom="Petit", prenoms="Jules", neph="999988887777")  # no email
    for student in (p.student, other, silent):
        await _assign(client, s, lot_id, student["id"])
    await deliver_outbox(settings)
    booked = {a: to(smtp_server, a, "Votre examen du permis est réservé") for a in (STUDENT["courriel"], OTHER_EMAIL)}
    assert all(len(mails) == 1 for mails in booked.values())
    old_day = dt.date.fromisoformat(p.lot["date"])

    changed = lot_row(p.numero, days=27, places=3, heure="14:00", lieu="Centre d'examen de Vénissieux")
    assert (await _recapture(client, p, changed))["mises_a_jour"] == 1
    await deliver_outbox(settings)
    for address in (STUDENT["courriel"], OTHER_EMAIL):
        [mail] = to(smtp_server, address, MOVED)
        assert mail["Subject"] == f"{MOVED} — Auto-école des Tilleuls"
        text = mail_text(mail)
        assert f"Avant : {french_date(old_day)} à 09:00 (Centre d'examen de Bron)" in text
        new_day = french_date(dt.date.fromisoformat(changed["date"]))
        assert f"Désormais : {new_day} à 14:00 (Centre d'examen de Vénissieux)" in text
        method, moved = invitation(mail)
        _, first = invitation(booked[address][0])
        assert method == "REQUEST" and str(moved["UID"]) == str(first["UID"])
        assert int(moved["SEQUENCE"]) > int(first.get("SEQUENCE", 0))
        assert moved["DTSTART"].dt.date().isoformat() == changed["date"]
        assert str(moved["LOCATION"]) == "Centre d'examen de Vénissieux"
    assert len([m for m in smtp_server.messages if m["Subject"].startswith(MOVED)]) == 2  # not the one without

    again = await _recapture(client, p, changed)
    assert again["mises_a_jour"] == 0
    await deliver_outbox(settings)
    assert len([m for m in smtp_server.messages if m["Subject"].startswith(MOVED)]) == 2


async def test_a_change_of_places_only_emails_no_one(printel_lot, client, settings, smtp_server) -> None:
    p = await printel_lot(places=2, days=20)
    await _assign(client, p.s, p.lot["id"], p.student["id"])
    await deliver_outbox(settings)
    before = len(smtp_server.messages)
    assert (await _recapture(client, p, lot_row(p.numero, days=20, places=4)))["mises_a_jour"] == 1
    await deliver_outbox(settings)
    assert len(smtp_server.messages) == before and to(smtp_server, STUDENT["courriel"], MOVED) == []
