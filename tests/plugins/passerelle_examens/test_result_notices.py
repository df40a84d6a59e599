"""A recorded result reaches the élève and the office calendar: the exam's calendar entry gets the outcome in
its title and notes, the élève gets a short French email (through a real SMTP server on loopback); a correction
sends the correction; recording the same outcome again sends nothing."""

import pytest

from core.calendar.tables import Booking
from core.testing.fixtures import deliver_outbox, smtp_to
from plugins.passerelle_examens.services.notices import french_day
from plugins.passerelle_examens.tables import ExamFile
from tests.plugins.passerelle_examens.conftest import STUDENT
from tests.plugins.passerelle_examens.test_results import _booked_yesterday


@pytest.fixture
def smtp_settings(smtp_server):
    return smtp_to(smtp_server)


def results_to_student(smtp_server) -> list:
    return [m for m in smtp_server.messages if m["To"] == STUDENT["courriel"] and "résultat" in m["Subject"].lower()]


async def entry(exam_id: int) -> Booking:
    row = await ExamFile.objects().where(ExamFile.id == exam_id).first()
    return await Booking.objects().where(Booking.id == row.calendar_booking).first()


async def test_result_updates_the_calendar_entry_and_emails_the_eleve_then_the_correction(
        ready, client, settings, smtp_server) -> None:
    r = await ready()
    s = r.s
    exam = await _booked_yesterday(client, r)
    before = await entry(exam["id"])
    assert before.label.endswith(exam["centre"]) and before.status == "confirmed"
    url = s.api(f"/exams/{exam['id']}/result")
    assert (await client.post(url, headers=s.headers, json={"resultat": "echec", "points": 22})).status_code == 200
    await deliver_outbox(settings)
    [mail] = results_to_student(smtp_server)
    assert mail["Subject"] == "Le résultat de votre examen du permis — Auto-école du Centre"
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Bonjour Léa Marie Durand" in text and "n'est pas réussi : 22 point(s) de fautes" in text
    row = await ExamFile.objects().where(ExamFile.id == exam["id"]).first()
    assert f"permis B du {french_day(row)} ({exam['centre']})" in text
    after = await entry(exam["id"])
    assert after.label == f"{before.label} — Échec (22 points)" and after.notes == "Résultat : Échec (22 points)"
    assert after.start_ts == before.start_ts and after.status == "confirmed"

    corrected = await client.post(url, headers=s.headers, json={"resultat": "admis"})
    assert corrected.status_code == 200, corrected.text
    await deliver_outbox(settings)
    _, second = results_to_student(smtp_server)
    assert second["Subject"].startswith("Résultat corrigé de votre examen du permis — ")
    text = second.get_body(preferencelist=("plain",)).get_content()
    assert "Votre auto-école corrige le résultat" in text and "Félicitations : vous êtes reçue" in text
    assert (await entry(exam["id"])).label == f"{before.label} — Admis"

    again = await client.post(url, headers=s.headers, json={"resultat": "admis"})
    assert again.status_code == 200
    await deliver_outbox(settings)
    assert len(results_to_student(smtp_server)) == 2  # the same outcome again: nothing new to tell


async def test_absent_without_email_changes_the_calendar_and_sends_nothing(ready, client, settings,
                                                                           smtp_server) -> None:
    r = await ready(student={**STUDENT, "courriel": ""})
    s = r.s
    exam = await _booked_yesterday(client, r)
    done = await client.post(s.api(f"/exams/{exam['id']}/result"), headers=s.headers, json={"resultat": "absent"})
    assert done.status_code == 200, done.text
    await deliver_outbox(settings)
    assert [m for m in smtp_server.messages if "résultat" in m["Subject"].lower()] == []
    assert (await entry(exam["id"])).label.endswith(" — Absent")
