"""Booking a session for an élève: the exam file is created, the exam is on the office's calendar and in its
ICS feed, the élève gets a French email with an ICS REQUEST; the same click twice or a lost provider answer
never books twice; cancelling (confirmation step) calls the provider, removes the calendar entry, emails an
ICS CANCEL and records a late cancellation, which the delay rules then apply (reason and earliest date). Only an
élève whose RdvPermis mandate is confirmed may be booked."""

import datetime as dt

import icalendar
import pytest

from core.plugin_api import calendar as cal
from core.testing.fixtures import deliver_outbox, login, mail_text, sent_mails, submit
from plugins.passerelle_examens.services import gateway
from plugins.passerelle_examens.simulators.rdvpermis import answer_link, week_slots
from tests.plugins.passerelle_examens.conftest import STUDENT

TODAY = dt.date.today()


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def slot_between(r, low: int, high: int, free: int | None = None) -> dict:
    """A simulator slot of the favourite centre between today + low and today + high days."""
    for week in range(0, 8):
        for slot in week_slots(r.centre["id"], monday(TODAY + dt.timedelta(days=low + 7 * week)), r.state):
            day = dt.date.fromisoformat(slot["day"])
            if TODAY + dt.timedelta(days=low) <= day <= TODAY + dt.timedelta(days=high) and (
                    free is None or slot["free_places"] == free):
                return slot
    raise AssertionError("no slot")


def body(r, slot: dict, student_id: int | None = None) -> dict:
    return {"eleve_id": student_id or r.student["id"], "centre_id": slot["centre_id"], "slot_id": slot["slot_id"],
            "jour": slot["day"]}


def invitation(message) -> tuple[str, icalendar.Event]:
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
    return str(calendar["METHOD"]), calendar.walk("VEVENT")[0]


def exam_mails(settings) -> list:
    """The élève's emails about exams (each carries an ICS); the mandate request they also got has none."""
    return [m for m in sent_mails(settings) if m["To"] == STUDENT["courriel"]
            and any(p.get_content_type() == "text/calendar" for p in m.walk())]


async def test_book_from_the_page_creates_the_file_calendar_entry_and_email(ready, client, settings) -> None:
    r = await ready()
    s = r.s
    slot = slot_between(r, 10, 40)
    await login(client, s.org.owner_email)
    query = f"centre_id={slot['centre_id']}&slot_id={slot['slot_id']}&jour={slot['day']}"
    page = s.page(f"/sessions/reserver?{query}&q=dur")
    offer = await client.get(page)
    assert offer.status_code == 200 and "Réserver pour DURAND Léa Marie" in offer.text
    assert "Aucun élève" in (await client.get(s.page(f"/sessions/reserver?{query}&q=martin"))).text
    done = await submit(client, page, s.page("/sessions/reserver"), {**body(r, slot), "q": "dur"})
    assert done.status_code in (302, 303) and done.headers["location"].endswith("/examens")
    listing = await client.get(s.page("/examens"))
    assert "Examen réservé le" in listing.text and "DURAND Léa Marie" in listing.text and "Réservé" in listing.text
    again = await submit(client, page, s.page("/sessions/reserver"), {**body(r, slot), "q": "dur"})
    assert again.status_code in (302, 303)
    assert "déjà réservé" in (await client.get(s.page("/examens"))).text
    assert len(r.state.bookings) == 1  # the same click twice: one provider booking, one file
    [exam] = (await client.get(s.api("/exams"), headers=s.headers)).json()
    assert exam["statut"] == "reserve" and exam["jour"] == slot["day"] and exam["inspecteur"] == slot["inspector"]
    assert exam["heure"] == slot["start"] and exam["categorie"] == "B" and exam["reference"].startswith("B")

    [calendar] = [c for c in await cal.list_calendars(s.org.organisation_id, s.org.office_id)
                  if c.name == "Examens du permis"]
    day = dt.date.fromisoformat(slot["day"])
    entries = await cal.bookings_between(s.org.organisation_id, [calendar.id],
                                         dt.datetime.combine(day, dt.time(0), dt.UTC),
                                         dt.datetime.combine(day, dt.time(23, 59), dt.UTC))
    assert [e.label for e in entries] == [f"Examen B — DURAND Léa Marie — {r.centre['name']}"]
    feed = await client.get(calendar.ics_path)
    assert feed.status_code == 200 and "Examen B" in feed.text

    await deliver_outbox(settings)
    [mail] = exam_mails(settings)
    assert "Votre examen du permis est réservé" in mail["Subject"]
    assert f"Inspecteur : {slot['inspector']}" in mail_text(mail) and slot["start"] in mail_text(mail)
    method, event = invitation(mail)
    assert method == "REQUEST" and int(event["SEQUENCE"]) == 0


async def test_cancel_late_then_the_delay_rule_refuses_with_the_earliest_date(ready, client, settings) -> None:
    r = await ready()
    s = r.s
    soon = slot_between(r, 1, 6)
    made = await client.post(s.api("/exams"), headers=s.headers, json=body(r, soon))
    assert made.status_code == 201, made.text
    exam = made.json()
    await login(client, s.org.owner_email)
    confirm = s.page(f"/examens/{exam['id']}/annuler")
    asked = await client.get(confirm)
    assert "Confirmer l'annulation" in asked.text and "cette annulation est tardive" in asked.text
    assert exam["statut"] == "reserve"  # the question changed nothing
    done = await submit(client, confirm, confirm, {})
    assert done.status_code in (302, 303)
    after = (await client.get(s.api(f"/exams/{exam['id']}"), headers=s.headers)).json()
    assert after["statut"] == "annule" and after["annulation_tardive"] is True
    assert r.state.bookings == {}  # cancelled with the provider
    twice = await client.post(s.api(f"/exams/{exam['id']}/cancel"), headers=s.headers)
    assert twice.status_code == 409 and "plus réservé" in twice.text
    [calendar] = [c for c in await cal.list_calendars(s.org.organisation_id, s.org.office_id)]
    feed = await client.get(calendar.ics_path)
    assert "STATUS:CANCELLED" in feed.text  # the feed tells calendar apps the entry is gone
    await deliver_outbox(settings)
    mails = sorted(exam_mails(settings),
                   key=lambda m: int(invitation(m)[1]["SEQUENCE"]))
    assert [invitation(m)[0] for m in mails] == ["CANCEL"] or [invitation(m)[0] for m in mails] == [
        "REQUEST", "CANCEL"]
    assert "annulé" in mails[-1]["Subject"] and "annulation est tardive" in mail_text(mails[-1])
    assert len({str(invitation(m)[1]["UID"]) for m in mails}) == 1

    later = slot_between(r, 10, 25)
    earliest = (dt.date.fromisoformat(soon["day"]) + dt.timedelta(days=30)).strftime("%d/%m/%Y")
    refused = await client.post(s.api("/exams"), headers=s.headers, json=body(r, later))
    assert refused.status_code == 422, refused.text
    assert "eleve" in refused.text and f"Annulation tardive : possible à partir du {earliest}" in refused.text
    page = await client.get(s.page(f"/sessions/reserver?centre_id={later['centre_id']}&slot_id={later['slot_id']}"
                                    f"&jour={later['day']}"))
    assert "Réserver pour DURAND" not in page.text and "non disponible : Annulation tardive" in page.text
    assert len(r.state.bookings) == 0


async def test_refusals_category_past_gone_and_other_office(ready, client) -> None:
    r = await ready()
    s = r.s
    moto = await client.post(s.api("/students"), headers=s.headers,
                             json={**STUDENT, "neph": "999988887777", "categorie": "A2", "nom": "Moto"})
    slot = slot_between(r, 10, 40)
    wrong = await client.post(s.api("/exams"), headers=s.headers, json=body(r, slot, moto.json()["id"]))
    assert wrong.status_code == 422 and "La catégorie A2 ne correspond pas" in wrong.text
    gone = await client.post(s.api("/exams"), headers=s.headers, json={**body(r, slot), "slot_id": "inconnu"})
    assert gone.status_code == 409 and "relancez la recherche" in gone.text
    not_fav = await client.post(s.api("/exams"), headers=s.headers, json={**body(r, slot), "centre_id": "01-V1"})
    assert not_fav.status_code == 422 and "centre_id" in not_fav.text
    bad_id = await client.post(s.api("/exams"), headers=s.headers, json={**body(r, slot), "eleve_id": "x"})
    assert bad_id.status_code == 422 and "eleve_id" in bad_id.text
    assert r.state.bookings == {}


async def test_booking_needs_the_students_confirmed_mandate(ready, client) -> None:
    r = await ready(mandate=False)
    s = r.s
    slot = slot_between(r, 10, 40)
    await login(client, s.org.owner_email)
    page = s.page(f"/sessions/reserver?centre_id={slot['centre_id']}&slot_id={slot['slot_id']}&jour={slot['day']}")
    greyed = await client.get(page)
    assert "Réserver pour DURAND" not in greyed.text
    assert "non disponible : Mandat non confirmé par l&#39;élève" in greyed.text
    mandate_page = s.page(f"/eleves/{r.student['id']}/mandat")
    assert f'href="{mandate_page}"' in greyed.text  # where to ask it
    refused = await client.post(s.api("/exams"), headers=s.headers, json=body(r, slot))
    assert refused.status_code == 422 and "eleve" in refused.text and "Mandat non confirmé par l'élève" in refused.text
    asked = (await client.post(s.api(f"/students/{r.student['id']}/mandate"), headers=s.headers)).json()
    waiting = await client.post(s.api("/exams"), headers=s.headers, json=body(r, slot))
    assert waiting.status_code == 422 and "Mandat non confirmé" in waiting.text  # asked, not answered yet
    assert r.state.bookings == {} and (await client.get(s.api("/exams"), headers=s.headers)).json() == []
    await answer_link(asked["lien_eleve"], "accepter")  # the élève accepts; nobody opened the mandate page
    assert "Réserver pour DURAND Léa Marie" in (await client.get(page)).text
    booked = await client.post(s.api("/exams"), headers=s.headers, json=body(r, slot))
    assert booked.status_code == 201, booked.text
    assert len(r.state.bookings) == 1


async def test_a_lost_answer_is_reconciled_into_one_booking(ready, client, monkeypatch) -> None:
    monkeypatch.setattr(gateway, "TIMEOUT", 0.5)
    r = await ready()
    slot = slot_between(r, 10, 40)
    r.state.faults.hang_seconds = 1.0
    r.state.faults.lose_booking_answer = 1
    made = await client.post(r.s.api("/exams"), headers=r.s.headers, json=body(r, slot))
    assert made.status_code == 201, made.text
    assert len(r.state.bookings) == 1 and made.json()["reference"] == next(iter(r.state.bookings.values()))[
        "booking_id"]
    assert len((await client.get(r.s.api("/exams"), headers=r.s.headers)).json()) == 1


@pytest.mark.parametrize("fault", ["errors_5xx", "expire_tokens"])
async def test_provider_faults_record_nothing(ready, client, fault) -> None:
    r = await ready()
    slot = slot_between(r, 10, 40)
    setattr(r.state.faults, fault, 10 if fault == "errors_5xx" else True)
    failed = await client.post(r.s.api("/exams"), headers=r.s.headers, json=body(r, slot))
    assert failed.status_code == 503 and ("indisponible" in failed.text or "expiré" in failed.text), failed.text
    assert (await client.get(r.s.api("/exams"), headers=r.s.headers)).json() == []


async def test_rdvpermis_refusing_for_the_mandate_is_a_french_422_and_nothing_is_recorded(ready, client) -> None:
    """The élève revoked the mandate on RdvPermis and Socle has not heard yet: RdvPermis refuses the booking
    (403), the user reads why next to the élève, nothing is recorded and the mandate is read again."""
    r = await ready()
    s = r.s
    neph = r.student["neph"].replace(" ", "")
    r.state.mandates[neph]["state"] = "revoked"
    slot = slot_between(r, 10, 40)
    refused = await client.post(s.api("/exams"), headers=s.headers, json=body(r, slot))
    assert refused.status_code == 422, refused.text
    [error] = refused.json()["errors"]
    assert error["field"] == "eleve" and "pas de mandat confirmé pour votre auto-école" in error["message"]
    assert (await client.get(s.api("/exams"), headers=s.headers)).json() == [] and r.state.bookings == {}
    mandate = await client.get(s.api(f"/students/{r.student['id']}/mandate"), headers=s.headers)
    assert mandate.json()["etat"] == "revoked"
