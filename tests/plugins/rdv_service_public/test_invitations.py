"""The citizen's emails: text and HTML alternatives from the organisation's name, Reply-To its address, and a
calendar invitation that calendar apps apply in place — creation REQUEST (SEQUENCE 0), move REQUEST
(SEQUENCE 1), cancellation CANCEL (SEQUENCE 2), one UID throughout (through the real loopback SMTP server)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import icalendar

from tests.plugins.rdv_service_public.test_booking import CITIZEN, at, rdv


def invitation_of(message):
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
    [event] = calendar.walk("VEVENT")
    return part, calendar, event


async def test_create_move_cancel_sends_request_request_cancel_with_one_uid(configured, mails):
    t = configured["town"]
    booked = await t.make("/rdvs", rdv(configured))
    path = f"/rdvs/{booked['id']}"
    moved = await t.call("PATCH", path, json={"starts_at": at(configured["monday"], "11:00")})
    assert moved.status_code == 200, moved.text
    assert (await t.call("DELETE", path)).status_code == 204
    received = await mails(CITIZEN)
    assert len(received) == 3
    # The outbox may deliver them in any order; calendar apps order versions by SEQUENCE, and so do we.
    created, changed, cancelled = sorted(received, key=lambda m: int(invitation_of(m)[2]["SEQUENCE"]))

    methods, sequences, uids = [], [], set()
    for message in (created, changed, cancelled):
        part, calendar, event = invitation_of(message)
        assert part.get_param("charset") == "utf-8" and part.get_param("method") == calendar["METHOD"]
        methods.append(str(calendar["METHOD"]))
        sequences.append(int(event["SEQUENCE"]))
        uids.add(str(event["UID"]))
        assert str(event["SUMMARY"]) == "Carte d'identité — Mairie de Saint-Vallier"
    assert "confirmé" in created["Subject"] and "modifié" in changed["Subject"] and "annulé" in cancelled["Subject"]
    assert methods == ["REQUEST", "REQUEST", "CANCEL"] and sequences == [0, 1, 2] and len(uids) == 1
    assert uids.pop() != f"rdv-{booked['id']}@socle"  # a digest of the private token, not the reusable id
    _, _, event = invitation_of(changed)
    eleven = datetime.fromisoformat(at(configured["monday"], "11:00")).replace(tzinfo=ZoneInfo("Europe/Paris"))
    assert event.decoded("DTSTART") == eleven.astimezone(UTC)
    assert "1 place de la Mairie" in str(event["LOCATION"])


async def test_email_has_text_and_html_from_the_organisation(configured, mails, client):
    t = configured["town"]
    contact = await client.patch("/api/v1/organisation", headers=t.headers,
                                 json={"email": "contact@saint-vallier.example"})
    assert contact.status_code == 200, contact.text
    await t.make("/rdvs", rdv(configured))
    [message] = await mails(CITIZEN)
    assert message["From"].addresses[0].display_name == "Mairie de Saint-Vallier"
    assert message["Reply-To"] == "contact@saint-vallier.example"
    body = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert message.get_body(preferencelist=("html",)).get_content_type() == "text/html"
    for text in (body, html):
        assert "Carte d'identité" in text.replace("&#39;", "'") and "Mairie de Saint-Vallier" in text
        assert "/public/o/mairie-de-saint-vallier/m/rdv_service_public/rdv/" in text
    assert '<html lang="fr">' in html and "<th scope=\"row\"" in html
    assert ">Voir mon rendez-vous</a>" in html and "Déplacer" not in html  # the motif does not allow changes


async def test_html_email_offers_move_and_cancel_when_the_motif_allows(configured, mails):
    t = configured["town"]
    allowed = await t.call("PUT", f"/motifs/{configured['motif']['id']}", json={
        "name": "Carte d'identité", "service_id": configured["service"]["id"], "duration_minutes": 30,
        "online": True, "users_may_change": True})
    assert allowed.status_code == 200, allowed.text
    await t.make("/rdvs", rdv(configured))
    [message] = await mails(CITIZEN)
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "/deplacer\"" in html and ">Déplacer</a>" in html and ">Annuler</a>" in html
    assert "déplacer ou annuler" in message.get_body(preferencelist=("plain",)).get_content()
