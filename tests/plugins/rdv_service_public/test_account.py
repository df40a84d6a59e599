"""rdv_service_public in « Mon espace »: a signed-in citizen finds the appointments booked with their
verified email (« Mes rendez-vous »), cancels as the motif allows, gets the form pre-filled; the export
holds them and deleting the account leaves no personal data in the module's tables."""

import json
import re
from datetime import datetime

import pytest

from core.config import SmtpSettings
from core.testing.fixtures import csrf_token
from plugins.rdv_service_public.tables import TABLES, Rdv
from tests.core.accounts.helpers import post_form, sign_up, text
from tests.plugins.rdv_service_public.test_public import PARIS, online, public_url  # noqa: F401  (fixture)

EMAIL = "camille@example.org"
NAME = "Camille Pétillon"
PHONE = "0612345678"


@pytest.fixture
def smtp_settings():
    """Mail to files: the sign-up link is read back from them."""
    return SmtpSettings()


async def _book_signed_in(client, t, motif, index=0):
    slot = (await client.get(public_url(t, f"/api/motifs/{motif['id']}/slots"))).json()[index]
    local = datetime.fromisoformat(slot["starts_at"]).astimezone(PARIS).strftime("%Y-%m-%dT%H:%M")
    form_path = public_url(t, f"/motifs/{motif['id']}/reserver?starts_at={local}&lieu_id={slot['lieu_id']}")
    form = await client.get(form_path)
    values = dict(re.findall(r'name="(citizen_\w+)"[^>]*value="([^"]*)"', form.text))
    token = await csrf_token(client, form_path)
    response = await client.post(public_url(t, f"/motifs/{motif['id']}/reserver"), data={
        "_csrf_token": token, "starts_at": local, "lieu_id": slot["lieu_id"], **values}, follow_redirects=False)
    assert response.status_code in (302, 303), response.text
    return values


async def test_signed_in_citizen_books_with_prefilled_form_then_finds_and_cancels(online, client, settings):  # noqa: F811
    t, motif = online["town"], online["online_motif"]
    await sign_up(client, settings, EMAIL, full_name=NAME, phone=PHONE)
    values = await _book_signed_in(client, t, motif)
    assert values == {"citizen_name": NAME, "citizen_email": EMAIL, "citizen_phone": PHONE}
    home = await client.get("/mon-espace/")
    assert "Mes rendez-vous" in home.text and '<span class="count">1</span>' in home.text
    page = await client.get("/mon-espace/m/rdv_service_public/")
    assert page.status_code == 200 and "Passeport" in page.text and "Annuler ce rendez-vous" in page.text
    rdv = await Rdv.objects().where(Rdv.citizen_email == EMAIL).first()
    cancelled = await post_form(client, f"/mon-espace/m/rdv_service_public/{rdv.id}/annuler", {},
                                form_path="/mon-espace/m/rdv_service_public/")
    assert cancelled.status_code == 200 and "Votre rendez-vous est annulé." in text(cancelled)
    assert (await Rdv.objects().get(Rdv.id == rdv.id)).status == "annule"
    again = await post_form(client, f"/mon-espace/m/rdv_service_public/{rdv.id}/annuler", {},
                            form_path="/mon-espace/m/rdv_service_public/")
    assert again.status_code == 409


async def test_another_persons_appointment_is_not_found(online, client, settings):  # noqa: F811
    t, motif = online["town"], online["online_motif"]
    await sign_up(client, settings, EMAIL, full_name=NAME, phone=PHONE)
    await _book_signed_in(client, t, motif)
    mine = await Rdv.objects().where(Rdv.citizen_email == EMAIL).first()
    client.cookies.clear()
    await sign_up(client, settings, "autre@example.org", full_name="Autre Personne", phone="0698765432")
    page = await client.get("/mon-espace/m/rdv_service_public/")
    assert "Passeport" not in page.text and "Aucun rendez-vous à venir." in text(page)
    for wrong in (mine.id, 999_999, "abc"):
        response = await post_form(client, f"/mon-espace/m/rdv_service_public/{wrong}/annuler", {},
                                   form_path="/mon-espace/m/rdv_service_public/")
        assert response.status_code == 404, wrong
    assert (await Rdv.objects().get(Rdv.id == mine.id)).status == "a_venir"


async def test_export_then_erase_leaves_no_personal_data(online, client, settings):  # noqa: F811
    from core.calendar.tables import Booking

    t, motif = online["town"], online["online_motif"]
    await sign_up(client, settings, EMAIL, full_name=NAME, phone=PHONE)
    await _book_signed_in(client, t, motif, 0)
    await _book_signed_in(client, t, motif, 2)
    export = json.loads((await client.get("/mon-espace/donnees/export.json")).content)
    mine = export["modules"]["rdv_service_public"]["rendez_vous"]
    assert len(mine) == 2 and {r["citizen_name"] for r in mine} == {NAME} and mine[0]["motif"] == "Passeport"

    response = await post_form(client, "/mon-espace/donnees/supprimer", {"confirm_email": EMAIL},
                               form_path="/mon-espace/donnees")
    assert response.status_code == 200, text(response)
    for table in TABLES:
        for row in await table.select():
            dump = json.dumps(row, default=str)
            for personal in (EMAIL, NAME, "Pétillon", PHONE, "06 12 34 56 78"):
                assert personal not in dump, (table._meta.tablename, row)
    rows = await Rdv.objects()
    assert {r.status for r in rows} == {"annule"} and {r.citizen_name for r in rows} == {"Anonyme"}
    bookings = await Booking.select(Booking.label, Booking.status).where(
        Booking.source_plugin == "rdv_service_public")
    assert bookings and all(b["label"] == "Anonyme" and b["status"] == "cancelled" for b in bookings)
